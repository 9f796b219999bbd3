"""Exercise checkers: run a learner's function on test cases and say what went wrong.

Every checker returns a :class:`CheckResult` that displays as a short message starting
"✔ Correct" or "✘ Not yet", with a hint. A checker never raises, whatever the learner's code
does (returns None, crashes, loops over the wrong axis): the notebook runs top to bottom.

Every checker is the same four things handed to the one harness, :func:`check_function`:
a table of cases, a reference (a tested ``dlcourse`` function, or a few lines), a hint, and
the known mistakes, each a wrong implementation with a sentence naming the mistake::

    def check_relu(candidate):
        cases = [(np.array([-2.0, 0.0, 3.0]),), (rng.normal(size=(3, 4)),)]
        mistakes = [(lambda x: np.maximum(0, -x), "You flipped the sign of the input.")]
        return check_function(candidate, activations.relu, cases, name="relu",
                              hint="np.maximum(0, x), entry by entry.", mistakes=mistakes)

``properties=`` adds tests a reference cannot pin down (random results, side effects), and
``returns=int`` requires whole numbers. Add each mistake to the checker's table in
``tests/test_checks*.py`` too: it must be rejected with its sentence. Import checkers from
here: ``from dlcourse.checks import check_weighted_sum``.
"""

from ._core import CheckResult, check_function
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
    "check_early_stopping_epoch", "check_elu_grad", "check_forward_relu_network", "check_function",
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
