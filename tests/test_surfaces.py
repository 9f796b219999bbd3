"""The loss landscapes: gradients checked against torch autograd, minima where they say."""

import numpy as np
import pytest
import torch

from dlcourse.surfaces import SURFACES, plot_contours, plot_curve

TORCH_VALUES = {
    "parabola": lambda p: p[..., 0] ** 2,
    "bumpy": lambda p: 0.25 * p[..., 0] ** 4 - 1.5 * p[..., 0] ** 2 + 0.6 * p[..., 0] + 3,
    "bowl": lambda p: 0.5 * (p**2).sum(-1),
    "ravine": lambda p: 0.5 * (p[..., 0] ** 2 + 10 * p[..., 1] ** 2),
    "rosenbrock": lambda p: (1 - p[..., 0]) ** 2 + 100 * (p[..., 1] - p[..., 0] ** 2) ** 2,
    "two_valleys": lambda p: (p[..., 0] ** 2 - 1) ** 2 + 0.3 * p[..., 0] + 0.5 * p[..., 1] ** 2,
}


def test_every_surface_has_a_torch_reference():
    assert set(SURFACES) == set(TORCH_VALUES)


@pytest.mark.parametrize("name", sorted(SURFACES))
def test_value_and_gradient_match_torch_autograd(name):
    surface = SURFACES[name]
    rng = np.random.default_rng(0)
    lo, hi = surface.xlim
    points = rng.uniform(lo, hi, size=(50, surface.ndim))
    p = torch.tensor(points, requires_grad=True)
    expected = TORCH_VALUES[name](p)
    expected.sum().backward()
    np.testing.assert_allclose(surface(points), expected.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(surface.grad(points), p.grad.numpy(), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("name", sorted(SURFACES))
def test_minima_are_stationary_and_the_first_is_lowest(name):
    surface = SURFACES[name]
    values = [surface(np.array(m)) for m in surface.minima]
    for m in surface.minima:
        np.testing.assert_allclose(surface.grad(np.array(m)), 0, atol=1e-9)
    assert values[0] == min(values)
    assert surface.global_minimum.shape == (surface.ndim,)


def test_bumpy_and_two_valleys_are_not_convex():
    assert len(SURFACES["bumpy"].minima) == 2
    assert len(SURFACES["two_valleys"].minima) == 2


def test_a_single_point_gives_a_float_and_a_scalar_works_for_curves():
    assert isinstance(SURFACES["bowl"](np.array([1.0, 1.0])), float)
    assert SURFACES["parabola"](3.0) == 9.0


def test_diverged_points_give_inf_rather_than_an_error():
    assert SURFACES["parabola"](np.inf) == np.inf


def test_plots_return_artists(ax):
    contours = plot_contours(ax, "rosenbrock", levels=10, resolution=50)
    assert len(contours.levels) == 10
    assert ax.get_xlim() == SURFACES["rosenbrock"].xlim
    lines = plot_curve(ax, "bumpy")
    assert len(lines) == 1 and len(lines[0].get_xdata()) == 400
