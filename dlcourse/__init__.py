"""dlcourse: the helper package of the deep-learning course.

One module per topic:

- :mod:`dlcourse.datasets`: small synthetic data sets (bank, separable classes, XOR, ...)
- :mod:`dlcourse.perceptron`: Rosenblatt's perceptron and its learning rule
- :mod:`dlcourse.activations`: activation functions and their derivatives
- :mod:`dlcourse.mlp`: a NumPy multi-layer perceptron (layers, forward, backward, dropout)
- :mod:`dlcourse.losses`: loss functions and their gradients, as in ``torch.nn.functional``
- :mod:`dlcourse.optim`: SGD (with momentum), RMSprop and Adam, as in ``torch.optim``
- :mod:`dlcourse.surfaces`: loss landscapes for watching optimizers move
- :mod:`dlcourse.gradcheck`: numerical gradients (central differences)
- :mod:`dlcourse.graphs`: drawing computational graphs with values and gradients
- :mod:`dlcourse.regularization`: dropout
- :mod:`dlcourse.conv`: convolution and pooling, as in ``torch.nn.functional``
- :mod:`dlcourse.sequences`: sequence data for recurrent networks
- :mod:`dlcourse.mnist`: the MNIST digits, shipped with the package
- :mod:`dlcourse.inspection`: recording and drawing the activations of a PyTorch model
- :mod:`dlcourse.plotting`: plots that draw on an ``ax`` you pass and return their artists
- :mod:`dlcourse.widgets`: the explorer pattern (``draw(ax, **values)`` plus controls)
- :mod:`dlcourse.static_explorer`: explorers precomputed for the static website
- :mod:`dlcourse.checks`: exercise checkers that print feedback and never raise
- :mod:`dlcourse.reproducibility`: :func:`seed_everything`

Importing :mod:`dlcourse` is cheap and has no side effects: it does not import PyTorch or
ipywidgets and does not change matplotlib's settings.
"""

from .reproducibility import seed_everything

__version__ = "0.1.0"
__all__ = ["__version__", "seed_everything"]
