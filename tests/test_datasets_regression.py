"""The data set added for logistic regression: two overlapping Gaussian classes."""

import numpy as np
import pytest
import torch

from dlcourse import datasets
from dlcourse.datasets import make_gaussian_classes

DIRECTION = np.array([1.0, 1.0]) / np.sqrt(2.0)


def test_shapes_labels_balance_and_determinism():
    X, y = make_gaussian_classes(61, seed=3)
    assert X.shape == (61, 2) and X.dtype == np.float64
    assert y.shape == (61,) and y.dtype == np.int64
    assert set(np.unique(y)) == {0, 1}
    assert int(y.sum()) == 30  # half each, the odd point in class 0
    X2, y2 = make_gaussian_classes(61, seed=3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    X3, _ = make_gaussian_classes(61, seed=4)
    assert not np.allclose(X, X3)
    assert "make_gaussian_classes" in datasets.__all__


def test_centres_and_spread():
    X, y = make_gaussian_classes(20_000, distance=4.0, noise=0.5, seed=0)
    np.testing.assert_allclose(X[y == 1].mean(axis=0), 2.0 * DIRECTION, atol=0.03)
    np.testing.assert_allclose(X[y == 0].mean(axis=0), -2.0 * DIRECTION, atol=0.03)
    np.testing.assert_allclose(X[y == 1].std(axis=0), [0.5, 0.5], atol=0.02)


def test_the_classes_overlap_and_no_line_separates_them():
    X, y = make_gaussian_classes(200, seed=0)
    side = (X @ DIRECTION > 0).astype(int)
    accuracy = np.mean(side == y)
    assert 0.8 < accuracy < 1.0  # the best boundary still makes mistakes


def test_distance_zero_gives_two_identical_clouds():
    X, y = make_gaussian_classes(4000, distance=0.0, seed=1)
    np.testing.assert_allclose(X[y == 1].mean(axis=0), X[y == 0].mean(axis=0), atol=0.1)


def test_logistic_regression_recovers_the_documented_weights():
    # Maximum likelihood on many points, computed independently with PyTorch's LBFGS.
    X, y = make_gaussian_classes(20_000, distance=2.0, noise=1.2, seed=2)
    Xt = torch.tensor(X)
    yt = torch.tensor(y, dtype=torch.float64)
    w = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    b = torch.zeros((), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.LBFGS([w, b], max_iter=100, line_search_fn="strong_wolfe")

    def closure():
        optimizer.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(Xt @ w + b, yt)
        loss.backward()
        return loss

    optimizer.step(closure)
    w_true = 2.0 / 1.2**2 * DIRECTION
    np.testing.assert_allclose(w.detach().numpy(), w_true, atol=0.06)
    assert abs(b.item()) < 0.05


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n_samples": 1}, ValueError, "n_samples"),
        ({"n_samples": 10.5}, TypeError, "n_samples"),
        ({"distance": -1.0}, ValueError, "distance"),
        ({"distance": "far"}, TypeError, "distance"),
        ({"noise": 0.0}, ValueError, "noise"),
        ({"noise": np.nan}, ValueError, "noise"),
        ({"seed": -3}, ValueError, "seed"),
    ],
)
def test_bad_arguments_name_the_argument(kwargs, error, match):
    with pytest.raises(error, match=match):
        make_gaussian_classes(**kwargs)
