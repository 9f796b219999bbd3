"""Loss landscapes small enough to draw, for watching gradient descent move.

Each :class:`Surface` in :data:`SURFACES` knows its value, its gradient (both vectorised over
points of shape ``(..., ndim)``), a window to plot and its minima. The chapters write out the
update rule themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ._validation import as_array, check_ax, check_int, check_option

__all__ = ["SURFACES", "Surface", "plot_contours", "plot_curve"]


@dataclass(frozen=True)
class Surface:
    """A differentiable function of ``ndim`` = 1 or 2 parameters.

    ``value(p)`` maps points (..., ndim) to (...), ``gradient(p)`` to (..., ndim); ``xlim``,
    ``ylim`` frame the interesting part (``ylim`` is the loss range of a curve); ``minima``
    lists the local minima, the global one first.
    """

    name: str
    description: str
    ndim: int
    value: Callable[[np.ndarray], np.ndarray]
    gradient: Callable[[np.ndarray], np.ndarray]
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    minima: tuple[tuple[float, ...], ...]

    def _points(self, p) -> np.ndarray:
        # not `finite`: a diverging run of gradient descent should see inf, not an error
        p = as_array(p, "p", finite=False)
        if p.ndim == 0 and self.ndim == 1:
            p = p[None]
        if p.ndim == 0 or p.shape[-1] != self.ndim:
            raise ValueError(
                f"`p` must have shape (..., {self.ndim}) for the {self.name!r} surface; "
                f"got shape {p.shape}."
            )
        return p

    def __call__(self, p) -> np.ndarray | float:
        """The loss at ``p`` (..., ndim); a float for a single point."""
        out = self.value(self._points(p))
        return float(out) if np.ndim(out) == 0 else out

    def grad(self, p) -> np.ndarray:
        """The gradient at ``p``: shape ``(..., ndim)``, like ``p``."""
        return self.gradient(self._points(p))

    @property
    def global_minimum(self) -> np.ndarray:
        """The location of the global minimum, shape ``(ndim,)``."""
        return np.array(self.minima[0])


# -- the functions, each next to its gradient -----------------------------------------------


def _bumpy(p):  # 1-D: a global minimum on the left, a local one on the right
    w = p[..., 0]
    return 0.25 * w**4 - 1.5 * w**2 + 0.6 * w + 3.0


def _bumpy_grad(p):
    w = p[..., 0]
    return (w**3 - 3.0 * w + 0.6)[..., None]


def _parabola(p):  # 1-D: the simplest convex loss
    return p[..., 0] ** 2


def _parabola_grad(p):
    return 2.0 * p


def _bowl(p):  # 2-D: round, convex
    return 0.5 * (p[..., 0] ** 2 + p[..., 1] ** 2)


def _bowl_grad(p):
    return p.copy()


def _ravine(p):  # 2-D: convex but 10 times steeper across than along
    return 0.5 * (p[..., 0] ** 2 + 10.0 * p[..., 1] ** 2)


def _ravine_grad(p):
    return np.stack([p[..., 0], 10.0 * p[..., 1]], axis=-1)


def _rosenbrock(p):  # 2-D: a curved, flat-bottomed valley (a = 1, b = 100), minimum at (1, 1)
    x, y = p[..., 0], p[..., 1]
    return (1.0 - x) ** 2 + 100.0 * (y - x**2) ** 2


def _rosenbrock_grad(p):
    x, y = p[..., 0], p[..., 1]
    return np.stack([-2.0 * (1.0 - x) - 400.0 * x * (y - x**2), 200.0 * (y - x**2)], axis=-1)


def _two_valleys(p):  # 2-D: a deep valley at x < 0, a shallower one at x > 0
    x, y = p[..., 0], p[..., 1]
    return (x**2 - 1.0) ** 2 + 0.3 * x + 0.5 * y**2


def _two_valleys_grad(p):
    x, y = p[..., 0], p[..., 1]
    return np.stack([4.0 * x * (x**2 - 1.0) + 0.3, y], axis=-1)


def _root(coeffs, near):
    """The real root of a cubic closest to ``near`` (for the recorded minima)."""
    roots = np.roots(coeffs)
    roots = roots[np.abs(roots.imag) < 1e-9].real
    return float(roots[np.argmin(np.abs(roots - near))])


_bumpy_minima = (_root([1, 0, -3, 0.6], -1.8), _root([1, 0, -3, 0.6], 1.6))
_valley_minima = (_root([4, 0, -4, 0.3], -1.0), _root([4, 0, -4, 0.3], 1.0))

#: Every surface, by name: (name, description, ndim, value, gradient, xlim, ylim, minima).
SURFACES: dict[str, Surface] = {
    spec[0]: Surface(*spec)
    for spec in [
        ("parabola", "w²", 1, _parabola, _parabola_grad, (-2.0, 2.0), (0.0, 4.0), ((0.0,),)),
        ("bumpy", "a non-convex curve with two minima", 1, _bumpy, _bumpy_grad, (-2.6, 2.6),
         (-1.0, 6.0), ((_bumpy_minima[0],), (_bumpy_minima[1],))),
        ("bowl", "a round bowl", 2, _bowl, _bowl_grad, (-2, 2), (-2, 2), ((0.0, 0.0),)),
        ("ravine", "a narrow ravine (10x steeper across)", 2, _ravine, _ravine_grad,
         (-2.5, 2.5), (-1.5, 1.5), ((0.0, 0.0),)),
        ("rosenbrock", "Rosenbrock's curved valley", 2, _rosenbrock, _rosenbrock_grad,
         (-2.0, 2.0), (-1.0, 3.0), ((1.0, 1.0),)),
        ("two_valleys", "two valleys, one deeper", 2, _two_valleys, _two_valleys_grad,
         (-2.0, 2.0), (-1.5, 1.5), ((_valley_minima[0], 0.0), (_valley_minima[1], 0.0))),
    ]
}  # fmt: skip


def _surface(surface, ndim: int, what: str) -> Surface:
    if isinstance(surface, str):
        surface = SURFACES[check_option(surface, "surface", list(SURFACES))]
    elif not isinstance(surface, Surface):
        raise TypeError(
            f"`surface` must be a Surface or one of {sorted(SURFACES)}; "
            f"got {type(surface).__name__}."
        )
    if surface.ndim != ndim:
        raise ValueError(
            f"`surface` must be {ndim}-D for {what}; {surface.name!r} is {surface.ndim}-D."
        )
    return surface


def plot_contours(ax, surface, *, levels: int = 20, resolution: int = 200):
    """Draw ``levels`` log-spaced level sets of a 2-D surface (or its name); return them."""
    ax, surface = check_ax(ax), _surface(surface, 2, "contours")
    levels = check_int(levels, "levels", low=2)
    resolution = check_int(resolution, "resolution", low=10)
    xs = np.linspace(*surface.xlim, resolution)
    ys = np.linspace(*surface.ylim, resolution)
    grid = np.stack(np.meshgrid(xs, ys), axis=-1)
    z = surface.value(grid)
    low = z.min()
    # log-spaced levels above the minimum show both the steep walls and the flat floor
    values = low + np.geomspace(1e-3, z.max() - low + 1e-3, levels) - 1e-3
    contours = ax.contour(xs, ys, z, levels=values, cmap="viridis", linewidths=0.8)
    for k, m in enumerate(surface.minima):  # a star on each minimum, the global one filled
        ax.plot(*m, marker="*", ms=12, color="black", mfc="gold" if k == 0 else "white")
    ax.set(xlim=surface.xlim, ylim=surface.ylim, xlabel="$w_1$", ylabel="$w_2$")
    ax.set_title(surface.description)
    return contours


def plot_curve(ax, surface, *, resolution: int = 400, **kwargs):
    """Draw a 1-D surface (or its name), loss against its parameter; ``kwargs`` go to ``plot``."""
    ax, surface = check_ax(ax), _surface(surface, 1, "a curve")
    resolution = check_int(resolution, "resolution", low=10)
    w = np.linspace(*surface.xlim, resolution)
    kwargs.setdefault("color", "0.3")
    lines = ax.plot(w, surface.value(w[:, None]), **kwargs)
    ax.set(xlim=surface.xlim, ylim=surface.ylim, xlabel="$w$", ylabel="loss $J(w)$")
    return lines
