"""dlcourse: the helper package of the deep-learning course, one module per topic.

Data: :mod:`~dlcourse.datasets`, :mod:`~dlcourse.sequences`, :mod:`~dlcourse.mnist`. Models and
their maths: :mod:`~dlcourse.perceptron`, :mod:`~dlcourse.activations`, :mod:`~dlcourse.mlp`,
:mod:`~dlcourse.losses`, :mod:`~dlcourse.optim`, :mod:`~dlcourse.regularization`,
:mod:`~dlcourse.conv`, :mod:`~dlcourse.gradcheck`, :mod:`~dlcourse.surfaces`. Drawing and
exploring: :mod:`~dlcourse.plotting`, :mod:`~dlcourse.graphs`, :mod:`~dlcourse.inspection`,
:mod:`~dlcourse.widgets`, :mod:`~dlcourse.static_explorer`. Exercises: :mod:`~dlcourse.checks`.
:func:`seed_everything` (:mod:`~dlcourse.reproducibility`) makes a chapter repeat.

Importing :mod:`dlcourse` is cheap and has no side effects: it does not import PyTorch or
ipywidgets and does not change matplotlib's settings.
"""

from .reproducibility import seed_everything

__version__ = "0.1.0"
__all__ = ["__version__", "seed_everything"]
