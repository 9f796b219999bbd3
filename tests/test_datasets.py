import numpy as np
import pytest

from dlcourse import datasets
from dlcourse.perceptron import Perceptron

GENERATORS = [
    datasets.make_linearly_separable,
    datasets.make_xor,
    datasets.make_circles,
    datasets.make_moons,
    datasets.make_spiral,
]


@pytest.mark.parametrize("make", GENERATORS)
def test_classification_sets_shapes_labels_and_determinism(make):
    X, y = make(60, seed=3)
    assert X.shape == (60, 2) and y.shape == (60,)
    assert set(np.unique(y)) == {0, 1}
    assert abs(int(y.sum()) - 30) <= 1  # balanced classes
    X2, y2 = make(60, seed=3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    X3, _ = make(60, seed=4)
    assert not np.allclose(X, X3)


def test_linearly_separable_is_separable_with_a_margin():
    X, y = datasets.make_linearly_separable(200, margin=0.6, seed=1)
    distance = X @ np.array([1.0, 1.0]) / np.sqrt(2)
    sign = np.where(y == 1, 1.0, -1.0)
    assert np.all(sign * distance >= 0.3 - 1e-9)
    history = Perceptron(2).fit(X, y, epochs=100)
    assert history.converged


def test_xor_labels_follow_the_corner():
    X, y = datasets.make_xor(400, noise=0.05, seed=0)
    corner = np.round(X).astype(int)
    np.testing.assert_array_equal(y, corner[:, 0] ^ corner[:, 1])


@pytest.mark.parametrize(
    ("gate", "expected"),
    [
        ("and", [0, 0, 0, 1]),
        ("or", [0, 1, 1, 1]),
        ("nand", [1, 1, 1, 0]),
        ("nor", [1, 0, 0, 0]),
        ("XOR", [0, 1, 1, 0]),
    ],
)
def test_logic_gates(gate, expected):
    X, y = datasets.logic_gate(gate)
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(y, expected)


def test_bank_example_has_an_interaction():
    X, y = datasets.make_bank(500, noise=0.0, seed=0)
    assert X.shape == (500, 2) and y.shape == (500,)
    children, accounts = X.T
    assert children.min() >= 0 and accounts.min() >= 1
    np.testing.assert_allclose(y, datasets.bank_transactions(children, accounts))
    # A purely additive (linear) model leaves a systematic error; adding the product fixes it.
    ones = np.ones_like(children)
    linear = np.column_stack([ones, children, accounts])
    with_product = np.column_stack([linear, children * accounts])
    res_linear = np.linalg.lstsq(linear, y, rcond=None)[1][0]
    res_product = np.linalg.lstsq(with_product, y, rcond=None)[1]
    assert res_linear > 1000 * (res_product[0] if res_product.size else 0.0) + 1.0
