"""The harness, and the checkers of chapters 1-4: each passes a solution written independently
of its reference (with PyTorch, or another way) and rejects each known mistake by name."""

import itertools
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from _checkers import table_test

from dlcourse import checks
from dlcourse.checks import CheckResult
from dlcourse.checks._core import check_function


def tensor(*arrays):
    return [torch.as_tensor(np.asarray(a, dtype=float)) for a in arrays]


def learn_angle(X, y):  # a finer grid, all angles at once
    t = np.deg2rad(np.arange(0, 360, 0.5))
    first = X[:, :1] * np.cos(t) - X[:, 1:] * np.sin(t)  # (n, angles)
    return float(np.rad2deg(t[np.argmax(((first > 0) == y[:, None]).mean(axis=0))]))


def perceptron_epoch(X, y, w, b, lr):
    w, mistakes = w.copy(), 0
    for x_i, y_i in zip(X, y):
        error = y_i - (1 if x_i @ w + b > 0 else 0)
        w += lr * error * x_i
        b += lr * error
        mistakes += error != 0
    return w, b, mistakes


def elu_grad(x, alpha):
    (xt,) = tensor(x)
    xt.requires_grad_(True)
    F.elu(xt, alpha).sum().backward()
    return xt.grad.numpy()


def count_parameters(sizes):
    layers = [torch.nn.Linear(a, b) for a, b in itertools.pairwise(sizes)]
    return sum(p.numel() for p in torch.nn.Sequential(*layers).parameters())


def mlp_forward(X, weights, biases):
    (h,) = tensor(X)
    for i, (W, b) in enumerate(zip(weights, biases)):
        h = F.linear(h, *tensor(W, b))
        h = torch.relu(h) if i < len(weights) - 1 else h
    return h.numpy()


def rotate(X, angle):
    t = np.deg2rad(angle)
    return X @ np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]]).T


def epoch_with(X, y, w, b, lr, *, lr_used=None, batch=False, bias=True, sign=1):
    w, mistakes = w.astype(float), 0
    before = (X @ w + b > 0).astype(int)
    for x_i, y_i, old in zip(X, y, before):
        error = sign * (y_i - (old if batch else int(x_i @ w + b > 0)))
        w = w + (lr_used or lr) * error * x_i
        b = b + (lr_used or lr) * error * bias
        mistakes += error != 0
    return w, b, mistakes


def _linear_only(X, W, b):
    for w, v in zip(W, b):
        X = X @ w.T + v
    return X


def _sigmoid_mlp(X, W, b):
    for i, (w, v) in enumerate(zip(W, b)):
        X = X @ w.T + v
        X = 1 / (1 + np.exp(-X)) if i < len(W) - 1 else X
    return X


TABLE = [
    (checks.check_mean_squared_error, lambda t, p: F.mse_loss(*tensor(p, t)).item(), [
        (lambda t, p: np.mean(t - p) ** 2, "before squaring"),
        (lambda t, p: math.sqrt(np.mean((t - p) ** 2)), "RMSE"),
        (lambda t, p: (t - p) ** 2, "one by one"),
        (lambda t, p: sum((a - b) ** 2 for a, b in zip(t, p)), "summed"),
        (lambda t, p: np.abs(t - p).mean(), "MAE"),
    ]),
    (checks.check_learn_angle, learn_angle, [
        (lambda X, y: 0.0, "does not change when the data turn"),
        (lambda X, y: np.deg2rad(learn_angle(X, y)), "radians"),
        (lambda X, y: learn_angle(X, 1 - y), "180 degrees off"),
        (lambda X, y: np.mean((rotate(X, learn_angle(X, y))[:, 0] > 0) == y), "best accuracy"),
        (lambda X, y: "north", "one angle in degrees"),
    ]),
    (checks.check_weighted_sum, lambda x, w, b: math.fsum(x * w) + b, [
        (lambda x, w, b: sum(x_i * w_i + b for x_i, w_i in zip(x, w)), "once per input"),
        (lambda x, w, b: float(np.dot(x, w)), "left out the bias"),
        (lambda x, w, b: x * w + b, "one number per input"),
        (lambda x, w, b: sum(x) * sum(w) + b, "sum of the inputs"),
    ]),
    (checks.check_perceptron_predict,
     lambda X, w, b: (torch.tensor(X) @ torch.tensor(w) + b > 0).long().numpy(), [
        (lambda X, w, b: np.where(X @ w + b >= 0, 1, 0), ">= 0"),
        (lambda X, w, b: X @ w + b, "weighted sums"),
        (lambda X, w, b: np.sign(X @ w + b), "np.sign"),
        (lambda X, w, b: (X @ w > 0).astype(int), "left out the bias"),
        (lambda X, w, b: torch.sigmoid(torch.tensor(X @ w + b)).numpy(), "sigmoid"),
    ]),
    (checks.check_perceptron_epoch, perceptron_epoch, [
        (lambda *a: epoch_with(*a, lr_used=1.0), "learning rate lr"),
        (lambda *a: epoch_with(*a, batch=True), "before the loop"),
        (lambda *a: epoch_with(*a, bias=False), "never update the bias"),
        (lambda *a: epoch_with(*a, sign=-1), "wrong sign"),
        (lambda *a: perceptron_epoch(*a)[:2], "three values"),
    ]),
    (checks.check_elu_grad, elu_grad, [
        (lambda x, a: np.where(x > 0, x, a * (np.exp(x) - 1)), "ELU itself"),
        (lambda x, a: np.where(x > 0, 1.0, a * (np.exp(x) - 1)), "-1 disappears"),
        (lambda x, a: np.where(x > 0, 1.0, np.exp(x)), "ignore alpha"),
        (lambda x, a: a * np.exp(x), "positive side"),
        (lambda x, a: np.where(x > 0, x, a * np.exp(x)), "not x"),
        (lambda x, a: (x > 0).astype(float), "ReLU's derivative"),
    ]),
    (checks.check_softmax, lambda Z: torch.softmax(torch.tensor(Z), dim=1).numpy(), [
        (lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True), "overflows"),
        (lambda Z: np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum(1, keepdims=True), "whole array"),
        (lambda Z: np.exp(Z) / np.exp(Z).sum(axis=0), "COLUMNS"),
        (lambda Z: np.exp(Z) / np.sum(np.exp(Z)), "own sum"),
        (lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1), "keepdims"),
        (lambda Z: torch.sigmoid(torch.tensor(Z)).numpy(), "sigmoid"),
    ]),
    (checks.check_forward_relu_network,
     lambda x, W, w: (torch.tensor(w) @ torch.relu(torch.tensor(W) @ torch.tensor(x))).item(), [
        (lambda x, W, w: w @ W @ x, "left out the ReLU"),
        (lambda x, W, w: max(0.0, w @ np.maximum(0, W @ x)), "no activation"),
        (lambda x, W, w: w @ np.maximum(0, x @ W), "transposed"),
        (lambda x, W, w: np.maximum(0, W @ x), "returned the hidden layer"),
        (lambda x, W, w: w @ (1 / (1 + np.exp(-(W @ x)))), "sigmoid"),
    ]),
    (checks.check_count_parameters, count_parameters, [
        (lambda s: sum(a * b for a, b in itertools.pairwise(s)), "weights only"),
        (lambda s: sum(a * b + a for a, b in itertools.pairwise(s)), "BEFORE each pair"),
        (lambda s: count_parameters(s) + s[0], "input units biases"),
        (lambda s: sum(s), "counted the units"),
        (lambda s: float(count_parameters(s)), "whole number"),
    ]),
    (checks.check_mlp_forward, mlp_forward, [
        (lambda X, W, b: np.maximum(0, mlp_forward(X, W, b)), "after the last layer"),
        (_linear_only, "left out the ReLU"),
        (lambda X, W, b: mlp_forward(X, W, [0 * v for v in b]), "left out the biases"),
        (lambda X, W, b: mlp_forward(X, [w.T for w in W], b), "transpose"),
        (_sigmoid_mlp, "sigmoid"),
    ]),
]  # fmt: skip


test_checker_passes_a_solution_and_rejects_each_mistake_by_name = table_test(TABLE)


GATES = [  # gate, w, b, passes, words of the message
    ("nand", [-1, -1], 1.5, True, "computes NAND"),
    ("and", [1, 1], -1.5, True, "computes AND"),
    ("or", [2, 2], -1, True, "computes OR"),
    ("nand", [0, 0], 0.0, False, "outputs 0 for every input"),
    ("nand", [1, 1], -1.5, False, "compute AND, not NAND"),
    ("nand", [-1, -1], 0.5, False, "compute NOR, not NAND"),
    ("and", [1, 1], -0.5, False, "compute OR, not AND"),
    ("xor", [1, 1], -0.5, False, "not linearly separable"),
    ("nand", "w", 1, False, "must be two numbers"),
    ("maybe", [1, 1], 0, False, "unknown gate"),
]
MAXOUT = [  # target, (w1, b1, w2, b2), passes, words
    ("leaky_relu", (1, 0, 0.1, 0), True, "leaky ReLU"),
    ("relu", (0, 0, 1, 0), True, "ReLU"),
    ("abs", (1, 0, -1, 0), True, "absolute value"),
    ("leaky_relu", (0, 0, 0, 0), False, "0 everywhere"),
    ("leaky_relu", (1, 0, 0.01, 0), False, "PyTorch's default"),
    ("leaky_relu", (1, 0, 0, 0), False, "is the ReLU"),
    ("abs", (1, 0, 1, 0), False, "is the identity"),
    ("relu", ("w", 0, 0, 0), False, "four numbers"),
    ("sigmoid", (1, 0, 0, 0), False, "unknown target"),
]


@pytest.mark.parametrize(("gate", "w", "b", "passes", "words"), GATES)
def test_gate_weights(gate, w, b, passes, words):
    result = checks.check_gate_weights(gate, np.array(w) if not isinstance(w, str) else w, b)
    assert result.passed is passes and words in result.message, result.message


@pytest.mark.parametrize(("target", "weights", "passes", "words"), MAXOUT)
def test_maxout_weights(target, weights, passes, words):
    result = checks.check_maxout_weights(target, *weights)
    assert result.passed is passes and words in result.message, result.message


def test_result_displays_its_message():
    result = check_function(abs, abs, [(-1,)], name="abs")
    assert isinstance(result, CheckResult) and bool(result)
    assert repr(result) == str(result) == result.message
    assert "dlcourse-check" in result._repr_html_()


def test_check_function_accepts_kwargs_cases_and_names_a_mistake_only_when_all_cases_agree():
    def scale(x, factor=1):
        return x * factor

    assert check_function(scale, scale, [((2,), {"factor": 3})], name="f").passed
    mistakes = [(lambda x, factor=1: x, "You ignore the factor.")]
    cases = [((2,), {"factor": 3}), ((0,), {"factor": 5})]
    assert "ignore" in check_function(lambda x, factor=1: x, scale, cases, name="f",
                                      mistakes=mistakes).message  # fmt: skip
    only_once = check_function(lambda x, factor=1: x + 1, scale, cases, name="f",
                               mistakes=[(lambda x, factor=1: 3, "Always 3.")])  # fmt: skip
    assert not only_once.passed and "Always 3" not in only_once.message


def test_check_function_requires_whole_numbers_when_asked():
    result = check_function(lambda n: n / 1, lambda n: n, [(4,)], name="f", returns=int)
    assert not result.passed and "whole number" in result.message


def test_a_checker_does_not_let_the_candidate_spoil_the_inputs():
    def mutating(X, w, b):
        X[:] = 0
        return (X @ w + b > 0).astype(int)

    assert not checks.check_perceptron_predict(mutating).passed
    assert checks.check_perceptron_predict(lambda X, w, b: (X @ w + b > 0) * 1).passed


def test_a_checker_stays_quiet_about_overflow(recwarn):
    naive = checks.check_softmax(lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True))
    assert not naive.passed and "subtract each row's maximum" in naive.message
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_messages_show_lists_of_arrays_by_shape():
    message = checks.check_mlp_forward(lambda *a: None).message
    assert "array of shape (3, 3)" in message and "array([" not in message
