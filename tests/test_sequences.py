"""Sequence data: the noisy sine wave, sliding windows (checked against torch), the diagram."""

import matplotlib.figure
import numpy as np
import pytest
import torch
from matplotlib.patches import Circle, FancyArrowPatch

from dlcourse.sequences import draw_unrolled_rnn, make_sine_wave, sliding_windows


# -- make_sine_wave ------------------------------------------------------------------------
def test_sine_wave_without_noise_is_the_sine():
    t = np.arange(50)
    series = make_sine_wave(50, period=12.5, noise=0.0)
    assert series.shape == (50,) and series.dtype == np.float64
    np.testing.assert_allclose(series, np.sin(2 * np.pi * t / 12.5))
    np.testing.assert_array_equal(series, make_sine_wave(50, period=12.5, noise=0.0, seed=9))


def test_sine_wave_noise_is_seeded_and_has_the_right_size():
    a = make_sine_wave(20_000, noise=0.1, seed=3)
    np.testing.assert_array_equal(a, make_sine_wave(20_000, noise=0.1, seed=3))
    assert not np.allclose(a, make_sine_wave(20_000, noise=0.1, seed=4))
    residual = a - make_sine_wave(20_000, noise=0.0)
    assert abs(residual.std() - 0.1) < 0.003 and abs(residual.mean()) < 0.003
    # the same seed draws the same noise whatever the wave
    other = make_sine_wave(20_000, period=7.0, noise=0.1, seed=3) - make_sine_wave(
        20_000, period=7.0, noise=0.0
    )
    np.testing.assert_allclose(other, residual)


def test_sine_wave_period():
    series = make_sine_wave(101, period=25, noise=0.0)
    np.testing.assert_allclose(series[25:], series[:-25], atol=1e-12)
    assert np.argmax(series[:25]) in (6, 7)  # the first peak, a quarter period in


# -- sliding_windows -----------------------------------------------------------------------
@pytest.mark.parametrize("window", [1, 2, 5, 19])
def test_sliding_windows_match_torch_unfold(window):
    series = make_sine_wave(20, noise=0.2, seed=1)
    X, y = sliding_windows(series, window)
    assert X.shape == (20 - window, window) and y.shape == (20 - window,)
    reference = torch.tensor(series[:-1]).unfold(0, window, 1).numpy()
    np.testing.assert_array_equal(X, reference)
    np.testing.assert_array_equal(y, series[window:])


def test_sliding_windows_small_example_and_copies():
    series = np.arange(6.0)
    X, y = sliding_windows(series, 3)
    np.testing.assert_array_equal(X, [[0, 1, 2], [1, 2, 3], [2, 3, 4]])
    np.testing.assert_array_equal(y, [3, 4, 5])
    X[0, 0] = 99.0
    y[0] = 99.0
    np.testing.assert_array_equal(series, np.arange(6.0))  # not views of the input


def test_sliding_windows_with_several_features():
    series = np.arange(14.0).reshape(7, 2)
    X, y = sliding_windows(series, 4)
    assert X.shape == (3, 4, 2) and y.shape == (3, 2)
    reference = torch.tensor(series[:-1]).unfold(0, 4, 1).permute(0, 2, 1).numpy()
    np.testing.assert_array_equal(X, reference)
    np.testing.assert_array_equal(y, series[4:])


def test_sliding_windows_accept_lists_and_tensors():
    X, y = sliding_windows([1, 2, 3], 2)
    np.testing.assert_array_equal(X, [[1.0, 2.0]])
    np.testing.assert_array_equal(y, [3.0])
    X_t, y_t = sliding_windows(torch.arange(5.0), 2)
    np.testing.assert_array_equal(X_t[-1], [2.0, 3.0])
    np.testing.assert_array_equal(y_t, [2.0, 3.0, 4.0])


# -- draw_unrolled_rnn ---------------------------------------------------------------------
def test_draw_unrolled_rnn_returns_its_artists(ax):
    artists = draw_unrolled_rnn(ax, 3)
    labels = [t.get_text() for t in artists["texts"]]
    for t in (1, 2, 3):
        assert f"$h_{{{t}}}$" in labels and f"$x_{{{t}}}$" in labels and f"$y_{{{t}}}$" in labels
    assert "$h_0$" in labels and "$h_t$" in labels  # the start state and the folded cell
    circles = [p for p in artists["nodes"] if isinstance(p, Circle)]
    assert len(circles) == 3 + 1 + 1  # h_1..h_3, h_0, folded h_t
    assert all(isinstance(a, FancyArrowPatch) for a in artists["arrows"])
    assert labels.count("$W_{hh}$") == 3 + 1
    assert not ax.axison


def test_draw_unrolled_rnn_options(ax):
    plain = draw_unrolled_rnn(ax, 4, show_folded=False, show_weights=False)
    labels = [t.get_text() for t in plain["texts"]]
    assert "$h_t$" not in labels and "$W_{hh}$" not in labels
    other = matplotlib.figure.Figure().subplots()
    with_gradient = draw_unrolled_rnn(
        other, 4, show_folded=False, show_weights=False, show_gradient=True
    )
    assert len(with_gradient["arrows"]) == len(plain["arrows"]) + 4  # one back per step
