"""The activation recorder works on models it has never seen, and leaves them untouched."""

import numpy as np
import pytest
import torch
from matplotlib.image import AxesImage
from torch import nn

from dlcourse.inspection import _mosaic, plot_feature_maps, plot_kernels, record_activations


class Residual(nn.Module):
    """A custom module with a functional op and a layer used twice."""

    def __init__(self, channels):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, padding=1)
        self.act = nn.ReLU()

    def forward(self, x):
        return self.act(self.conv(self.act(self.conv(x))) + x)


def models():
    torch.manual_seed(0)
    return {
        "tiny": (nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU()), (1, 1, 8, 8)),
        "lenet-ish": (
            nn.Sequential(
                nn.Conv2d(3, 6, 5),
                nn.Tanh(),
                nn.AvgPool2d(2),
                nn.Conv2d(6, 16, 5),
                nn.ReLU(),
                nn.MaxPool2d(2),
                nn.Flatten(),
                nn.Linear(16 * 5 * 5, 10),
            ),
            (2, 3, 32, 32),
        ),
        "nested": (
            nn.Sequential(
                nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ELU()),
                Residual(4),
                nn.AdaptiveAvgPool2d(1),
                nn.Flatten(),
                nn.Linear(4, 3),
            ),
            (1, 1, 10, 10),
        ),
        "mlp": (
            nn.Sequential(nn.Flatten(), nn.Linear(12, 7), nn.Sigmoid(), nn.Linear(7, 2)),
            (5, 3, 4),
        ),
    }


@pytest.mark.parametrize("name", list(models()))
def test_records_every_layer_in_order_and_matches_a_manual_forward(name):
    model, shape = models()[name]
    model.eval()
    x = torch.randn(*shape)
    recorded = record_activations(model, x)
    leaves = [n for n, m in model.named_modules() if not list(m.children())]
    # every leaf layer appears (a layer used twice appears twice)
    assert {k.split("#")[0] for k in recorded} - {"output"} == set(leaves)
    with torch.no_grad():
        expected = model(x)
    torch.testing.assert_close(recorded["output"], expected)
    last_layer = [k for k in recorded if k != "output"][-1]
    torch.testing.assert_close(recorded[last_layer], expected)
    assert all(not t.requires_grad for t in recorded.values())
    # the hooks are gone: the model is as it was
    assert all(not m._forward_hooks for m in model.modules())


def test_sequential_outputs_equal_step_by_step_computation():
    model, shape = models()["lenet-ish"]
    x = torch.randn(*shape)
    recorded = record_activations(model.eval(), x)
    h = x
    with torch.no_grad():
        for index, layer in enumerate(model):
            h = layer(h)
            torch.testing.assert_close(recorded[str(index)], h)


def test_layer_used_twice_is_recorded_twice():
    recorded = record_activations(models()["nested"][0].eval(), torch.randn(1, 1, 10, 10))
    assert "1.conv" in recorded and "1.conv#2" in recorded
    assert "1.act#2" in recorded and "1.act#3" not in recorded


def test_hooks_are_removed_when_the_forward_pass_fails():
    model = nn.Sequential(nn.Linear(3, 2))
    with pytest.raises(RuntimeError):
        record_activations(model, torch.randn(1, 5))
    assert not model[0]._forward_hooks


def test_mosaic_layout_and_normalisation():
    maps = np.arange(5 * 2 * 3, dtype=float).reshape(5, 2, 3)
    image = _mosaic(maps, ncols=3)
    assert image.shape == (2 * 2 + 1, 3 * 3 + 2)
    assert np.isnan(image[2]).all()  # the gap row
    np.testing.assert_allclose(np.nanmin(image), 0.0)
    np.testing.assert_allclose(np.nanmax(image), 1.0)
    np.testing.assert_allclose(image[:2, :3], (maps[0] - maps[0].min()) / 5.0)
    assert _mosaic(torch.ones(1, 4, 3, 3)).shape == (7, 7)
    with pytest.raises(ValueError, match="one example"):
        _mosaic(np.zeros((2, 3, 4, 4)))


def test_plot_helpers_return_images(ax):
    model, shape = models()["lenet-ish"]
    recorded = record_activations(model, torch.randn(*shape)[:1])
    assert isinstance(plot_feature_maps(ax, recorded["3"], title="conv 2"), AxesImage)
    assert ax.get_title() == "conv 2"
    image = plot_kernels(ax, model[0].weight)
    assert isinstance(image, AxesImage)
    low, high = image.get_clim()
    assert low == -high
    with pytest.raises(ValueError, match="`weight` must be a 4-D"):
        plot_kernels(ax, np.zeros((3, 3)))
    with pytest.raises(TypeError, match="`ax` must be a matplotlib Axes"):
        plot_feature_maps(None, np.zeros((2, 3, 3)))
