import numpy as np
import torch

from dlcourse.datasets import logic_gate, make_linearly_separable
from dlcourse.perceptron import Perceptron, step


def test_step_is_heaviside_with_zero_at_zero():
    np.testing.assert_array_equal(step([-2.0, 0.0, 1e-9, 3.0]), [0, 0, 1, 1])
    # the same as thresholding torch's linear layer output
    z = torch.tensor([-1.0, 0.0, 2.0])
    np.testing.assert_array_equal(step(z), (z > 0).long().numpy())


def test_forward_matches_torch_linear():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(7, 3))
    p = Perceptron(3, weight=[0.5, -1.0, 2.0], bias=0.25)
    layer = torch.nn.Linear(3, 1, dtype=torch.float64)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor([[0.5, -1.0, 2.0]]))
        layer.bias.fill_(0.25)
    np.testing.assert_allclose(p.forward(X), layer(torch.from_numpy(X)).detach().numpy()[:, 0])


def test_update_follows_rosenblatts_rule():
    p = Perceptron(2)
    assert p.update([1.0, 2.0], 1, lr=0.5)  # predicted 0, target 1: move towards x
    np.testing.assert_allclose(p.weight, [0.5, 1.0])
    assert p.bias == 0.5
    assert not p.update([1.0, 2.0], 1, lr=0.5)  # now right: nothing moves
    np.testing.assert_allclose(p.weight, [0.5, 1.0])


def test_fit_converges_on_separable_data_and_records_every_step():
    X, y = make_linearly_separable(80, seed=2)
    p = Perceptron(2)
    h = p.fit(X, y, lr=1.0, epochs=50)
    assert h.converged
    np.testing.assert_array_equal(p.predict(X), y)
    assert h.weights.shape == (h.n_steps + 1, 2) and h.biases.shape == (h.n_steps + 1,)
    np.testing.assert_allclose(h.weights[-1], p.weight)
    # replaying the recorded steps reproduces the recorded parameters
    w, b = h.weights[0].copy(), h.biases[0]
    for t, i in enumerate(h.sample_index):
        error = y[i] - int(X[i] @ w + b > 0)
        assert (error != 0) == h.mistake[t]
        w, b = w + error * X[i], b + error
        np.testing.assert_allclose(w, h.weights[t + 1])


def test_fit_never_converges_on_xor():
    X, y = logic_gate("xor")
    h = Perceptron(2).fit(X, y, epochs=100)
    assert not h.converged
    assert h.errors_per_epoch.min() >= 1
