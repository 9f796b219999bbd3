"""Exercise checkers: run a learner's function on test cases and say what went wrong.

Every checker returns a :class:`CheckResult` that displays as a short pass/fail message with a
hint. A checker never raises, whatever the learner's code does (returns ``None``, crashes,
loops over the wrong axis): the notebook must still run top to bottom.

A chapter uses them like this::

    def weighted_sum(x, w, b):
        ...  # your code here

    check_weighted_sum(weighted_sum)

:func:`check_function` is the general tool; the named checkers are built on it, one module
per topic (``neurons``, ``activations``, ``networks``, ...). Import them from here:
``from dlcourse.checks import check_weighted_sum``.
"""

from ._core import CheckResult, check_function
from .activations import check_elu_grad, check_maxout_weights, check_softmax
from .cnn import check_confusion_matrix, check_conv_parameters
from .networks import check_count_parameters, check_forward_relu_network, check_mlp_forward
from .neurons import (
    check_gate_weights,
    check_learn_angle,
    check_mean_squared_error,
    check_perceptron_epoch,
    check_perceptron_predict,
    check_weighted_sum,
)

__all__ = [
    "CheckResult",
    "check_confusion_matrix",
    "check_conv_parameters",
    "check_count_parameters",
    "check_elu_grad",
    "check_forward_relu_network",
    "check_function",
    "check_gate_weights",
    "check_learn_angle",
    "check_maxout_weights",
    "check_mean_squared_error",
    "check_mlp_forward",
    "check_perceptron_epoch",
    "check_perceptron_predict",
    "check_softmax",
    "check_weighted_sum",
]
