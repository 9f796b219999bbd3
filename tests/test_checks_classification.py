"""The softmax / cross-entropy checkers pass the solutions and name the usual mistakes."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlcourse import checks
from dlcourse.checks import CheckResult


# -- the reference solutions, as the chapter's solution cells write them -----------------------
def logsumexp(Z):
    m = Z.max(axis=1)
    return m + np.log(np.exp(Z - m[:, None]).sum(axis=1))


def cross_entropy(Z, labels):
    log_p = Z - logsumexp(Z)[:, None]
    return -log_p[np.arange(len(labels)), labels].mean()


def softmax_cross_entropy_grad(Z, labels):
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    P = e / e.sum(axis=1, keepdims=True)
    Y = np.eye(Z.shape[1])[labels]
    return (P - Y) / len(labels)


def torch_cross_entropy(Z, labels):
    return F.cross_entropy(torch.tensor(Z), torch.tensor(labels)).item()


def torch_grad(Z, labels):
    Zt = torch.tensor(Z, requires_grad=True)
    F.cross_entropy(Zt, torch.tensor(labels)).backward()
    return Zt.grad.numpy()


# -- wrong answers -----------------------------------------------------------------------------
def skeleton(*args): ...  # what the notebook hands the reader: returns None


def crashes(*args):
    raise IndexError("index 3 is out of bounds for axis 1 with size 3")


def naive_logsumexp(Z):
    return np.log(np.exp(Z).sum(axis=1))


def shifted_but_not_added_back(Z):
    m = Z.max(axis=1)
    return np.log(np.exp(Z - m[:, None]).sum(axis=1))


def naive_cross_entropy(Z, labels):
    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    return -np.log(P[np.arange(len(labels)), labels]).mean()


def naive_grad(Z, labels):
    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    return (P - np.eye(Z.shape[1])[labels]) / len(labels)


CASES = [
    (
        checks.check_logsumexp,
        logsumexp,
        [
            (naive_logsumexp, "nan or inf"),
            (shifted_but_not_added_back, "did not add it back"),
            (lambda Z: Z.max(axis=1), "maximum of each row"),
            (lambda Z: logsumexp(Z)[:, None], "one number per row"),
            (lambda Z: np.log(np.exp(Z - Z.max()).sum(axis=0)) + Z.max(), "COLUMN"),
        ],
    ),
    (
        checks.check_cross_entropy,
        cross_entropy,
        [
            (naive_cross_entropy, "nan or inf"),
            (lambda Z, y: -(Z - logsumexp(Z)[:, None])[np.arange(len(y)), y], "per-sample"),
            (lambda Z, y: len(y) * cross_entropy(Z, y), "sum of the per-sample losses"),
            (lambda Z, y: -cross_entropy(Z, y), "sign"),
            (lambda Z, y: cross_entropy(Z, np.zeros_like(y)), "expected"),  # ignores labels
        ],
    ),
    (
        checks.check_softmax_cross_entropy_grad,
        softmax_cross_entropy_grad,
        [
            (naive_grad, "nan or inf"),
            (lambda Z, y: len(y) * softmax_cross_entropy_grad(Z, y), "times too large"),
            (lambda Z, y: -softmax_cross_entropy_grad(Z, y), "sign is flipped"),
            (
                lambda Z, y: softmax_cross_entropy_grad(Z, y) + np.eye(Z.shape[1])[y] / len(y),
                "softmax itself",
            ),
            (lambda Z, y: softmax_cross_entropy_grad(Z, y).T, "shape"),
        ],
    ),
]

PARAMS = [(checker, solution, wrong) for checker, solution, wrongs in CASES for wrong in wrongs]


@pytest.mark.parametrize(("checker", "solution", "wrong"), PARAMS)
def test_checker_passes_the_solution_and_fails_wrong_answers(checker, solution, wrong):
    result = checker(solution)
    assert isinstance(result, CheckResult)
    assert result.passed, result.message
    assert result.message.startswith("✔")
    candidate, expected_words = wrong
    failed = checker(candidate)
    assert not failed.passed
    assert failed.message.startswith("✘ Not yet")
    assert expected_words in failed.message, failed.message
    assert "Hint:" in failed.message


@pytest.mark.parametrize("checker", [c for c, _, _ in CASES])
@pytest.mark.parametrize(
    ("candidate", "words"),
    [(skeleton, "returned None"), (crashes, "IndexError"), (42, "should be a function")],
)
def test_checker_never_raises(checker, candidate, words):
    result = checker(candidate)
    assert not result.passed
    assert words in result.message, result.message


@pytest.mark.parametrize("checker", [c for c, _, _ in CASES])
def test_checker_stays_quiet_about_overflow(checker, recwarn):
    """The naive formulas overflow inside the checker; no RuntimeWarning reaches the notebook."""
    naive = {
        checks.check_logsumexp: naive_logsumexp,
        checks.check_cross_entropy: naive_cross_entropy,
        checks.check_softmax_cross_entropy_grad: naive_grad,
    }[checker]
    result = checker(naive)
    assert not result.passed
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_checkers_do_not_let_the_candidate_spoil_the_inputs():
    def spoils(Z, labels):
        expected = softmax_cross_entropy_grad(Z, labels)
        Z[:] = 0.0
        labels[:] = 0
        return expected

    # if the inputs were shared, the second case would see zeros and fail
    assert checks.check_softmax_cross_entropy_grad(spoils).passed


def test_references_agree_with_torch():
    """The checkers' references are the chapter's solutions, and both agree with PyTorch."""
    from dlcourse.checks import classification as module

    rng = np.random.default_rng(3)
    for Z, labels in [*module._label_cases(), (rng.normal(size=(5, 3)), rng.integers(0, 3, 5))]:
        assert np.isclose(module._cross_entropy(Z, labels), torch_cross_entropy(Z, labels))
        assert np.allclose(module._cross_entropy_grad(Z, labels), torch_grad(Z, labels))
        assert np.allclose(module._logsumexp_rows(Z), torch.logsumexp(torch.tensor(Z), 1).numpy())
        assert np.isclose(cross_entropy(Z, labels), module._cross_entropy(Z, labels))


def test_huge_logit_cases_are_really_there():
    """The checks include rows where the naive formulas give inf or nan."""
    from dlcourse.checks import classification as module

    with np.errstate(all="ignore"):
        naive = [naive_cross_entropy(Z, y) for Z, y in module._label_cases()]
    assert not np.all(np.isfinite(naive))
