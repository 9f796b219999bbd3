"""dlcourse: the helper package of the deep-learning course.

One module per topic:

- :mod:`dlcourse.datasets`: small synthetic data sets (bank, separable classes, XOR, ...)
- :mod:`dlcourse.perceptron`: Rosenblatt's perceptron and its learning rule
- :mod:`dlcourse.plotting`: plots that draw on an ``ax`` you pass and return their artists
- :mod:`dlcourse.widgets`: the explorer pattern (``draw(ax, **values)`` plus controls)
- :mod:`dlcourse.checks`: exercise checkers that print feedback and never raise
- :mod:`dlcourse.reproducibility`: :func:`seed_everything`

Importing :mod:`dlcourse` is cheap and has no side effects: it does not import PyTorch or
ipywidgets and does not change matplotlib's settings.
"""

from .reproducibility import seed_everything

__version__ = "0.1.0"
__all__ = ["__version__", "seed_everything"]
