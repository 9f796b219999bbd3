"""Exercise checkers: run a learner's function on test cases and say what went wrong.

Each ``check_*`` returns a :class:`CheckResult` ("✔ Correct", or "✘ Not yet" with a hint) and
never raises, whatever the learner's code does: the notebook runs top to bottom. A checker is a
table of cases, a reference, a hint and the known mistakes, handed to one harness,
``_core.check_function``.
The checker modules are ``# fmt: off``: their tables read best one entry per line.
"""

from ._core import CheckResult
from .activations import check_elu_grad, check_maxout_weights, check_softmax
from .autograd import check_sgd_step, check_standardize, check_value_mul, check_value_sigmoid
from .backprop import check_linear_backward, check_numerical_gradient, check_sigmoid_backward
from .classification import check_cross_entropy, check_logsumexp, check_softmax_cross_entropy_grad
from .cnn import (
    check_confusion_matrix,
    check_conv2d_single,
    check_conv_parameters,
    check_max_pool,
    check_output_size,
)
from .learning_rate import check_divergence_threshold, check_steps_to_converge
from .losses import check_binary_cross_entropy_with_logits, check_linear_regression_gradients
from .networks import check_count_parameters, check_forward_relu_network, check_mlp_forward
from .neurons import (
    check_gate_weights,
    check_learn_angle,
    check_mean_squared_error,
    check_perceptron_epoch,
    check_perceptron_predict,
    check_weighted_sum,
)
from .practice import check_batch_norm_train, check_early_stopping_epoch, check_he_std
from .regularization import check_dropout, check_dropout_backward, check_dropout_scale
from .rnn import check_clip_grad_norm, check_rnn_forward, check_rnn_parameters, check_rnn_step
from .training import check_minibatches, check_nesterov_step, check_steps_per_epoch

# fmt: off
__all__ = [
    "CheckResult", "check_batch_norm_train", "check_binary_cross_entropy_with_logits",
    "check_clip_grad_norm", "check_confusion_matrix", "check_conv2d_single",
    "check_conv_parameters", "check_count_parameters", "check_cross_entropy",
    "check_divergence_threshold", "check_dropout", "check_dropout_backward", "check_dropout_scale",
    "check_early_stopping_epoch", "check_elu_grad", "check_forward_relu_network",
    "check_gate_weights", "check_he_std", "check_learn_angle", "check_linear_backward",
    "check_linear_regression_gradients", "check_logsumexp", "check_max_pool",
    "check_maxout_weights", "check_mean_squared_error", "check_minibatches", "check_mlp_forward",
    "check_nesterov_step", "check_numerical_gradient", "check_output_size",
    "check_perceptron_epoch", "check_perceptron_predict", "check_rnn_forward",
    "check_rnn_parameters", "check_rnn_step", "check_sgd_step", "check_sigmoid_backward",
    "check_softmax", "check_softmax_cross_entropy_grad", "check_standardize",
    "check_steps_per_epoch", "check_steps_to_converge", "check_value_mul", "check_value_sigmoid",
    "check_weighted_sum",
]
# fmt: on
