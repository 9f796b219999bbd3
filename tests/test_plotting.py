import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.contour import QuadContourSet
from matplotlib.lines import Line2D

from dlcourse import plotting
from dlcourse.datasets import make_xor


def test_plot_data_one_scatter_per_class(ax):
    X, y = make_xor(40, seed=0)
    artists = plotting.plot_data(ax, X, y, class_names=["no", "yes"])
    assert len(artists) == 2 and all(isinstance(a, PathCollection) for a in artists)
    assert [a.get_label() for a in artists] == ["no", "yes"]
    assert sum(len(a.get_offsets()) for a in artists) == 40
    assert ax.get_xlabel() == "$x_1$"


def test_decision_regions_follow_the_classifier(ax):
    cs = plotting.plot_decision_regions(ax, lambda P: (P[:, 0] > 0).astype(int), resolution=50)
    assert isinstance(cs, QuadContourSet)
    with pytest.raises(ValueError, match=r"`predict` must map an array of shape \(m, 2\)"):
        plotting.plot_decision_regions(ax, lambda P: P, resolution=10)
    with pytest.raises(TypeError, match="`predict` must be callable"):
        plotting.plot_decision_regions(ax, None)
    with pytest.raises(ValueError, match="`xlim` must be"):
        plotting.plot_decision_regions(ax, lambda P: P[:, 0], xlim=(1, 0))


def test_probability_map(ax):
    image, boundary = plotting.plot_probability_map(
        ax, lambda P: 1 / (1 + np.exp(-P[:, 0])), resolution=40
    )
    assert image.get_array().shape == (40, 40)
    assert isinstance(boundary, QuadContourSet) and len(boundary.allsegs[0]) == 1
    with pytest.raises(ValueError, match="probabilities in"):
        plotting.plot_probability_map(ax, lambda P: P[:, 0] * 5, resolution=10)


def test_linear_boundary_satisfies_its_equation(ax):
    ax.set_xlim(-2, 2)
    ax.set_ylim(-2, 2)
    line = plotting.plot_linear_boundary(ax, [1.0, 2.0], -1.0)
    assert isinstance(line, Line2D)
    xs, ys = line.get_data()
    np.testing.assert_allclose(1.0 * np.asarray(xs) + 2.0 * np.asarray(ys) - 1.0, 0.0)
    vertical = plotting.plot_linear_boundary(ax, [2.0, 0.0], 1.0)
    np.testing.assert_allclose(vertical.get_xdata(), -0.5)
    assert len(plotting.plot_linear_boundary(ax, [0.0, 0.0], 1.0).get_xdata()) == 0
    with pytest.raises(ValueError, match=r"`weight` must have shape \(2,\)"):
        plotting.plot_linear_boundary(ax, [1.0, 2.0, 3.0], 0.0)


def test_draw_network(ax):
    out = plotting.draw_network(
        ax,
        [2, 3, 1],
        weights=[np.ones((3, 2)), -np.ones((1, 3))],
        show_weights=True,
        node_labels=[["a", "b"], ["1", "2", "3"], ["y"]],
        inactive=[[False, False], [False, True, False], [False]],
    )
    assert [len(r) for r in out["nodes"]] == [2, 3, 1]
    active, dropped, crosses = out["edges"]
    assert len(crosses.get_segments()) == 2  # one dropped unit, one cross of two strokes
    assert len(active.get_segments()) + len(dropped.get_segments()) == 2 * 3 + 3 * 1
    assert len(dropped.get_segments()) == 2 + 1  # the dropped unit's incoming and outgoing lines
    # blue for positive weights into the hidden layer, vermillion for the negative ones out
    colors = [tuple(c) for c in active.get_colors()]
    assert colors.count(colors[0]) == 4 and colors[-1] != colors[0]
    with pytest.raises(ValueError, match=r"`weights\[0\]` must have shape \(3, 2\)"):
        plotting.draw_network(ax, [2, 3, 1], weights=[np.ones((2, 3)), np.ones((1, 3))])
    with pytest.raises(ValueError, match="`show_weights=True` needs `weights`"):
        plotting.draw_network(ax, [2, 1], show_weights=True)
    with pytest.raises(TypeError, match="`layer_sizes` must be a sequence"):
        plotting.draw_network(ax, 3)
