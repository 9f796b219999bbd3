"""The loss and gradient-descent checkers pass the solutions and explain wrong answers."""

import numpy as np
import pytest
import torch

from dlcourse import checks


def bce_with_logits(z, y):
    return np.mean((1 - y) * z + np.logaddexp(0, -z))


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def naive_bce(z, y):  # right formula, but through sigmoid(z): log(0) for large logits
    p = sigmoid(z)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def linear_regression_gradients(X, y, w, b):
    r = X @ w + b - y
    return 2 * X.T @ r / len(y), 2 * np.mean(r)


def skeleton(*args): ...  # what the notebook hands the reader: returns None


def crashes(*args):
    raise IndexError("index 5 is out of bounds")


CASES = [
    (
        checks.check_binary_cross_entropy_with_logits,
        bce_with_logits,
        [
            (naive_bce, "rounds to exactly 1.0"),
            (lambda z, y: -np.mean(-np.logaddexp(0, -z)), "slide's typo"),  # log y_hat twice
            (lambda z, y: -bce_with_logits(z, y), "wrong sign"),
            (lambda z, y: np.sum((1 - y) * z + np.logaddexp(0, -z)), "SUM"),
            (lambda z, y: (1 - y) * z + np.logaddexp(0, -z), "one number"),
            (lambda z, y: np.mean(y * z + np.logaddexp(0, -z)), "expected"),  # y and 1 - y swapped
        ],
    ),
    (
        checks.check_linear_regression_gradients,
        linear_regression_gradients,
        [
            (
                lambda X, y, w, b: tuple(g / 2 for g in linear_regression_gradients(X, y, w, b)),
                "factor 2",
            ),
            (
                lambda X, y, w, b: tuple(-g for g in linear_regression_gradients(X, y, w, b)),
                "wrong sign",
            ),
            (
                lambda X, y, w, b: tuple(
                    len(y) * g for g in linear_regression_gradients(X, y, w, b)
                ),
                "MEAN",
            ),
            (
                lambda X, y, w, b: (linear_regression_gradients(X, y, w, b)[0], 0.0),
                "dJ/dw is right but dJ/db is not",
            ),
            (
                lambda X, y, w, b: (2 * X.T @ (X @ w - y) / len(y), 2 * np.mean(X @ w + b - y)),
                "dJ/db is right but dJ/dw is not",
            ),
            (lambda X, y, w, b: linear_regression_gradients(X, y, w, b)[0], "expected 2 values"),
            (lambda X, y, w, b: (2 * X @ (X @ w + b - y), 0.0), "raised ValueError"),
        ],
    ),
]


@pytest.mark.parametrize(("checker", "solution", "wrong"), CASES)
def test_checker_passes_the_solution_and_fails_wrong_answers(
    checker, solution, wrong, checker_contract
):
    checker_contract.passes_and_fails(checker, solution, wrong)


@pytest.mark.parametrize(("checker", "solution", "wrong"), CASES)
def test_checker_never_raises(checker, solution, wrong):
    for candidate in (skeleton, crashes, None, 42, "text", lambda *a: "text"):
        result = checker(candidate)
        assert not result.passed
    assert "returned None" in checker(skeleton).message
    assert "raised IndexError: index 5 is out of bounds" in checker(crashes).message
    assert "should be a function" in checker(None).message


def test_bce_checker_stays_quiet_about_overflow(recwarn):
    assert not checks.check_binary_cross_entropy_with_logits(naive_bce).passed
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_bce_reference_agrees_with_pytorch():
    # The checker's reference, an independent formula, against torch on the checker's cases
    # and beyond.
    from dlcourse.checks.losses import _bce_with_logits

    z = np.array([-1000.0, -40.0, -3.0, -0.5, 0.0, 0.5, 3.0, 40.0, 1000.0])
    for y in (np.zeros_like(z), np.ones_like(z)):
        expected = torch.nn.functional.binary_cross_entropy_with_logits(
            torch.tensor(z), torch.tensor(y)
        ).item()
        assert np.isclose(_bce_with_logits(z, y), expected, rtol=1e-12)


def test_linear_regression_reference_agrees_with_autograd():
    from dlcourse.checks.losses import _linear_regression_gradients

    rng = np.random.default_rng(0)
    X, y, w, b = rng.normal(size=(7, 3)), rng.normal(size=7), rng.normal(size=3), 0.4
    wt = torch.tensor(w, requires_grad=True)
    bt = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    cost = ((torch.tensor(X) @ wt + bt - torch.tensor(y)) ** 2).mean()
    cost.backward()
    grad_w, grad_b = _linear_regression_gradients(X, y, w, b)
    np.testing.assert_allclose(grad_w, wt.grad.numpy(), rtol=1e-12)
    assert np.isclose(grad_b, bt.grad.item(), rtol=1e-12)


def test_gradients_as_lists_or_numpy_scalars_pass():
    def as_lists(X, y, w, b):
        grad_w, grad_b = linear_regression_gradients(X, y, w, b)
        return [list(grad_w), np.float64(grad_b)]

    assert checks.check_linear_regression_gradients(as_lists).passed


def test_checkers_are_exported():
    assert "check_binary_cross_entropy_with_logits" in checks.__all__
    assert "check_linear_regression_gradients" in checks.__all__
