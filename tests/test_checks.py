"""Every checker passes the reference solution and fails wrong ones with a useful message."""

import itertools

import numpy as np
import pytest

from dlcourse import checks
from dlcourse.checks import CheckResult, check_function


def mse(y_true, y_pred):
    return np.mean((y_true - y_pred) ** 2)


def rotate(X, angle):
    t = np.deg2rad(angle)
    return X @ np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]]).T


def weighted_sum(x, w, b):
    total = 0.0
    for x_i, w_i in zip(x, w):
        total += x_i * w_i
    return total + b


def perceptron_predict(X, w, b):
    return (X @ w + b > 0).astype(int)


def perceptron_epoch(X, y, w, b, lr):
    w, mistakes = w.copy(), 0
    for x_i, y_i in zip(X, y):
        error = y_i - (1 if x_i @ w + b > 0 else 0)
        w += lr * error * x_i
        b += lr * error
        mistakes += error != 0
    return w, b, mistakes


def skeleton(*args): ...  # what the notebook hands the reader: returns None


def crashes(*args):
    raise IndexError("index 5 is out of bounds")


CASES = [
    (
        checks.check_mean_squared_error,
        mse,
        [
            (lambda t, p: np.mean(t - p) ** 2, "expected"),  # errors cancel before squaring
            (lambda t, p: np.sqrt(np.mean((t - p) ** 2)), "expected"),  # the root of it
            (lambda t, p: (t - p) ** 2, "expected shape ()"),
        ],
    ),
    (
        checks.check_weighted_sum,
        weighted_sum,
        [
            (lambda x, w, b: float(np.sum(x * w + b)), "expected"),  # bias added per input
            (lambda x, w, b: x * w + b, "shape"),
        ],
    ),
    (
        checks.check_perceptron_predict,
        perceptron_predict,
        [
            (lambda X, w, b: (X @ w + b >= 0).astype(int), "expected"),  # 0 maps to 1
            (lambda X, w, b: X @ w + b, "expected"),
        ],
    ),
    (
        checks.check_perceptron_epoch,
        perceptron_epoch,
        [
            (lambda X, y, w, b, lr: perceptron_epoch(X, y, w, b, 1.0), "value"),  # ignores lr
            (lambda X, y, w, b, lr: perceptron_epoch(X, y, w, b, lr)[:2], "expected 3 values"),
        ],
    ),
]


@pytest.mark.parametrize(("checker", "solution", "wrong"), CASES)
def test_checker_passes_the_solution_and_fails_wrong_answers(checker, solution, wrong):
    result = checker(solution)
    assert isinstance(result, CheckResult)
    assert result.passed, result.message
    assert result.message.startswith("✔ Correct")
    for bad, expected_text in wrong:
        result = checker(bad)
        assert not result.passed
        assert result.message.startswith("✘ Not yet")
        assert expected_text in result.message
        assert "Hint:" in result.message


@pytest.mark.parametrize(("checker", "solution", "wrong"), CASES)
def test_checker_never_raises(checker, solution, wrong, checker_contract):
    checker_contract.never_raises(checker)


def test_checker_does_not_let_the_candidate_spoil_the_inputs():
    def mutating(X, w, b):
        X[:] = 0
        return perceptron_predict(X, w, b)

    # the mutating function sees zeros but the reference does not
    assert not checks.check_perceptron_predict(mutating).passed
    assert checks.check_perceptron_predict(perceptron_predict).passed


@pytest.mark.parametrize(
    ("gate", "w", "b", "passed"),
    [
        ("and", [1, 1], -1.5, True),
        ("or", [1, 1], -0.5, True),
        ("nand", [-1, -1], 1.5, True),
        ("and", [1, 1], -0.5, False),
        ("xor", [1, 1], -0.5, False),
    ],
)
def test_gate_weights(gate, w, b, passed):
    result = checks.check_gate_weights(gate, np.array(w, dtype=float), b)
    assert result.passed is passed
    if not passed:
        assert "(1, 1) -> 1 (want 0)" in result.message or "want" in result.message


def test_gate_weights_bad_values_do_not_raise():
    assert "must be two numbers" in checks.check_gate_weights("and", "w", 1).message
    assert not checks.check_gate_weights("maybe", [1, 1], 0).passed


def test_result_displays_its_message():
    result = check_function(abs, abs, [(-1,)], name="abs")
    assert repr(result) == str(result) == result.message
    assert "dlcourse-check" in result._repr_html_()
    assert bool(result)


def test_check_function_accepts_kwargs_cases():
    result = check_function(
        lambda x, scale=1: x * scale,
        lambda x, scale=1: x * scale,
        [((2,), {"scale": 3})],
        name="f",
    )
    assert result.passed


def learn_angle(X, y):
    angles = np.arange(0, 360)
    scores = [np.mean((rotate(X, a)[:, 0] > 0).astype(int) == y) for a in angles]
    return angles[int(np.argmax(scores))]


def test_check_learn_angle():
    assert checks.check_learn_angle(learn_angle).passed
    result = checks.check_learn_angle(lambda X, y: 0.0)  # never searches
    assert not result.passed and "is possible" in result.message and "Hint:" in result.message
    result = checks.check_learn_angle(lambda X, y: learn_angle(X, 1 - y))  # wrong labels
    assert not result.passed
    assert "returned None" in checks.check_learn_angle(skeleton).message
    assert "one angle in degrees" in checks.check_learn_angle(lambda X, y: "north").message
    assert "raised IndexError" in checks.check_learn_angle(crashes).message


# -- chapters 3 and 4: activation functions and the multi-layer perceptron -----------------


def elu_grad(x, alpha):
    return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0)))


def softmax(Z):
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def forward_relu_network(x, W_hidden, w_output):
    return w_output @ np.maximum(0, W_hidden @ x)


def count_parameters(layer_sizes):
    return sum(a * b + b for a, b in itertools.pairwise(layer_sizes))


def mlp_forward(X, weights, biases):
    a = X
    for W, b in zip(weights[:-1], biases[:-1]):
        a = np.maximum(0, a @ W.T + b)
    return a @ weights[-1].T + biases[-1]


def mlp_forward_relu_everywhere(X, weights, biases):
    a = X
    for W, b in zip(weights, biases):
        a = np.maximum(0, a @ W.T + b)
    return a


NETWORK_CASES = [
    (
        checks.check_elu_grad,
        elu_grad,
        [
            (lambda x, a: np.where(x > 0, 1.0, a * (np.exp(x) - 1)), "expected"),  # the ELU
            (lambda x, a: np.where(x > 0, 1.0, np.exp(x)), "expected"),  # ignores alpha
            (lambda x, a: a * np.exp(x), "expected"),  # forgets the positive side
        ],
    ),
    (
        checks.check_softmax,
        softmax,
        [
            (lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True), "nan or inf"),
            (lambda Z: np.exp(Z) / np.exp(Z).sum(axis=0, keepdims=True), "ROW"),
            (lambda Z: np.exp(Z) / np.exp(Z).sum(), "expected"),  # one sum for all rows
            (lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1), "raised ValueError"),  # no keepdims
        ],
    ),
    (
        checks.check_forward_relu_network,
        forward_relu_network,
        [
            (lambda x, W, w: w @ (W @ x), "expected 52"),  # no ReLU: -39
            (lambda x, W, w: np.maximum(0, w @ np.maximum(0, W @ x)), "expected"),  # ReLU out
            (lambda x, W, w: w @ np.maximum(0, W.T @ x), "expected"),  # transposed weights
        ],
    ),
    (
        checks.check_count_parameters,
        count_parameters,
        [
            (lambda s: sum(a * b for a, b in itertools.pairwise(s)), "expected"),  # no biases
            (lambda s: count_parameters(s) + s[0], "expected"),  # biases on the inputs too
        ],
    ),
    (
        checks.check_mlp_forward,
        mlp_forward,
        [
            (mlp_forward_relu_everywhere, "expected"),
            (lambda X, W, b: mlp_forward(X, W, [0 * v for v in b]), "expected"),  # no biases
            (lambda X, W, b: mlp_forward(X, [w.T for w in W], b), "raised ValueError"),
        ],
    ),
]


@pytest.mark.parametrize(("checker", "solution", "wrong"), NETWORK_CASES)
def test_network_checkers_pass_the_solution_and_fail_wrong_answers(
    checker, solution, wrong, checker_contract
):
    checker_contract.passes_and_fails(checker, solution, wrong)


@pytest.mark.parametrize(("checker", "solution", "wrong"), NETWORK_CASES)
def test_network_checkers_never_raise(checker, solution, wrong, checker_contract):
    checker_contract.never_raises(checker)


def test_softmax_checker_stays_quiet_about_overflow(recwarn):
    naive = checks.check_softmax(lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True))
    assert not naive.passed and "subtract each row's maximum" in naive.message
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_messages_show_lists_of_arrays_by_shape():
    message = checks.check_mlp_forward(skeleton).message
    assert "array of shape (2, 2)" in message and "array([" not in message


@pytest.mark.parametrize(
    ("target", "weights", "passed"),
    [
        ("relu", (1, 0, 0, 0), True),
        ("relu", (0, 0, 1, 0), True),  # the order of the pieces does not matter
        ("leaky_relu", (1, 0, 0.1, 0), True),
        ("abs", (1, 0, -1, 0), True),
        ("identity", (1, 0, 1, 0), True),
        ("leaky_relu", (1, 0, 0.01, 0), False),  # PyTorch's slope, not the slides'
        ("abs", (1, 0, 0, 0), False),
        ("relu", (1, 0, 0, 0.5), False),
    ],
)
def test_maxout_weights(target, weights, passed):
    result = checks.check_maxout_weights(target, *weights)
    assert result.passed is passed, result.message
    if not passed:
        assert "want" in result.message and "Hint:" in result.message


def test_maxout_weights_bad_values_do_not_raise():
    assert "four numbers" in checks.check_maxout_weights("relu", "w", 0, 0, 0).message
    assert "unknown target" in checks.check_maxout_weights("sigmoid", 1, 0, 0, 0).message
    assert not checks.check_maxout_weights(None, 1, 0, 0, 0).passed
