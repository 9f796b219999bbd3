"""Checkers for chapters 1 and 2: measuring error, the neuron and the perceptron."""

import numpy as np

from ..datasets import logic_gate, make_linearly_separable
from ..losses import mse_loss
from ._core import CheckResult, _floats, _rejected, _rotation, check_function

# fmt: off


def check_mean_squared_error(candidate) -> CheckResult:
    """Check ``mean_squared_error(y_true, y_pred)``: the mean of ``(y_true - y_pred) ** 2``."""
    rng = np.random.default_rng(1)
    cases = [(np.array([3.0, 5.0]), np.array([4.0, 5.0])), (np.array([1.0]), np.array([-1.0])),
             (np.array([10.0, 20.0, 30.0]), np.array([12.0, 18.0, 30.0])),
             (rng.normal(size=20), rng.normal(size=20))]
    return check_function(candidate, lambda t, p: mse_loss(p, t), cases, name="mean_squared_error",
        hint="square each difference, then average with np.mean; no square root.", mistakes=[
        (lambda t, p: np.mean(t - p) ** 2, "You averaged before squaring: errors cancel out."),
        (lambda t, p: np.sqrt(np.mean((t - p) ** 2)), "The square root is the RMSE."),
        (lambda t, p: (t - p) ** 2, "You returned the squared errors one by one: average them."),
        (lambda t, p: np.sum((t - p) ** 2), "You summed the squared errors."),
        (lambda t, p: np.mean(np.abs(t - p)), "That is the MAE: square errors."),
    ])


def _rotate(X: np.ndarray, angle: float) -> np.ndarray:
    return X @ _rotation(np.deg2rad(angle)).T


def _accuracy(X: np.ndarray, y: np.ndarray, angle: float) -> float:
    return float(np.mean((_rotate(X, angle)[:, 0] > 0).astype(int) == y))


def _finds_best_angle(call) -> str | None:
    X0, y = make_linearly_separable(80, margin=0.3, seed=6)
    data = [(turn, _rotate(X0, turn)) for turn in (0.0, 70.0, 200.0)]
    got = [call(X, y) for _, X in data]
    try:
        angles = [float(angle) for angle in got]
    except (TypeError, ValueError):
        return f"`learn_angle` must return one angle in degrees; got {got[0]!r}."
    for (turn, X), angle in zip(data, angles):
        best = max(_accuracy(X, y, a) for a in range(360))
        if _accuracy(X, y, angle) >= best - 0.01:
            continue
        problem = (f"on data turned by {turn:g} degrees your angle {angle:g} reaches "
                   f"{_accuracy(X, y, angle):.0%} accuracy, but {best:.0%} is possible.\n")
        for wrong, why in [(0 <= angle <= 1 and np.isclose(angle, best), "the best accuracy, "
                            "not the angle that reaches it"),
                           (len(set(angles)) == 1, "an angle that does not change when the data "
                            "turn: search the angles"),
                           (_accuracy(X, y, np.degrees(angle)) >= best - 0.01, "radians; the "
                            "rule takes degrees"),
                           (_accuracy(X, y, angle + 180) >= best - 0.01, "an angle 180 degrees "
                            "off: it swaps the two classes")]:
            if wrong:
                return problem + f"You returned {why}."
        return problem.strip()
    return None


def check_learn_angle(candidate) -> CheckResult:
    """Check ``learn_angle(X, y)``: as accurate as the best whole-degree angle, +-1%."""
    return check_function(candidate, None, [], name="learn_angle", properties=[_finds_best_angle],
        hint="loop over the angles np.arange(0, 360), rotate X by each, predict 1 where the "
        "first coordinate is > 0, and return the angle of highest accuracy.")


def check_weighted_sum(candidate) -> CheckResult:
    """Check ``weighted_sum(x, w, b)``: ``x[0]*w[0] + ... + x[n-1]*w[n-1] + b``."""
    rng = np.random.default_rng(3)
    cases = [(np.array([2.0, 3.0]), np.array([1.0, 1.0]), 0.0),
             (np.array([4.0]), np.array([0.25]), 2.0),
             (np.array([2.0, 3.0]), np.array([-1.0, 1.0]), 0.5),
             (rng.normal(size=5), rng.normal(size=5), -1.5)]
    return check_function(candidate, lambda x, w, b: float(x @ w + b), cases, name="weighted_sum",
        hint="multiply each input by its weight, add the products up, then add the bias once.",
        mistakes=[
        (lambda x, w, b: np.sum(x * w + b), "You added the bias once per input; add it once."),
        (lambda x, w, b: np.sum(x * w), "You left out the bias b."),
        (lambda x, w, b: x * w + b, "You returned one number per input: add the products up."),
        (lambda x, w, b: np.sum(x) * np.sum(w) + b, "You multiplied the sum of the inputs by the "
         "sum of the weights: multiply each input by its own weight."),
    ])


def check_perceptron_predict(candidate) -> CheckResult:
    """Check ``perceptron_predict(X, w, b)``: ``1`` where ``X @ w + b > 0``, else ``0``."""
    X, _ = make_linearly_separable(12, seed=4)
    ones = np.array([1.0, 1.0])
    cases = [(X, ones, 0.0), (X, np.array([-0.5, 2.0]), 0.3),
             (np.array([[0.0, 0], [1, 1]]), ones, -2.5),
             (np.array([[0.0, 0.0], [1.0, 0.0]]), ones, 0.0)]
    return check_function(candidate, lambda X, w, b: (X @ w + b > 0).astype(int), cases,
        name="perceptron_predict", hint="compute X @ w + b, then 1 where it is > 0, else 0.",
        mistakes=[
        (lambda X, w, b: (X @ w + b >= 0).astype(int), "A sum of 0 gives 0: > 0, not >= 0."),
        (lambda X, w, b: X @ w + b, "You returned the weighted sums: apply the step to them."),
        (lambda X, w, b: np.sign(X @ w + b), "Classes are 0 and 1, not np.sign's."),
        (lambda X, w, b: (X @ w > 0).astype(int), "You left out the bias b."),
        (lambda X, w, b: 1 / (1 + np.exp(-(X @ w + b))), "You used the sigmoid; it is the step."),
    ])


def _epoch(X, y, w, b, lr, *, online=True, update_bias=True, sign=1):
    w, mistakes, before = np.array(w, dtype=float), 0, (X @ w + b > 0).astype(int)
    for x_i, y_i, old in zip(X, y, before):
        error = sign * (y_i - (int(x_i @ w + b > 0) if online else old))
        w, b, mistakes = w + lr * error * x_i, b + lr * error * update_bias, mistakes + (error != 0)
    return w, b, int(mistakes)


def check_perceptron_epoch(candidate) -> CheckResult:
    """Check ``perceptron_epoch(X, y, w, b, lr)`` -> ``(w, b, n_mistakes)``."""
    (X, y), (gx, gy) = make_linearly_separable(10, seed=5), logic_gate("and")
    cases = [(X, y, np.zeros(2), 0.0, 1.0), (X, y, np.array([0.5, -1.0]), 0.2, 0.1),
             (gx, gy, np.zeros(2), 0.0, 1.0), (gx, gy, np.array([1.0, 1.0]), -1.5, 0.5)]
    return check_function(candidate, _epoch, cases, name="perceptron_epoch",
        hint="for each sample in order predict with the CURRENT w and b, error = y_i - prediction, "
        "w += lr * error * x_i, b += lr * error; count errors; return (w, b, mistakes).", mistakes=[
        (lambda X, y, w, b, lr: _epoch(X, y, w, b, 1.0), "You ignore the learning rate lr."),
        (lambda *a: _epoch(*a, online=False), "You predicted every sample before the loop; each "
         "prediction must use the weights updated by the samples before it."),
        (lambda *a: _epoch(*a, update_bias=False), "You never update the bias: b += lr * error."),
        (lambda *a: _epoch(*a, sign=-1), "The error has the wrong sign: y_i - prediction."),
        (lambda *a: _epoch(*a)[:2], "Return three values: (w, b, mistakes)."),
    ])


_GATES = ("and", "or", "nand", "nor", "xor")


def check_gate_weights(gate: str, w, b) -> CheckResult:
    """Check that a perceptron with weights ``w`` and bias ``b`` computes ``gate``."""
    numbers = _floats(w, b)
    if not isinstance(gate, str) or gate.lower() not in _GATES:
        return _rejected(f"unknown gate {gate!r}; choose one of {', '.join(_GATES)}.")
    if numbers is None or numbers.size != 3:
        return _rejected(f"`w` must be two numbers and `b` one number; got w={w!r}, b={b!r}.")
    (w1, w2, bias), gate = numbers, gate.lower()
    mistakes = [(lambda X: np.zeros(4), "Your perceptron outputs 0 for every input.")]
    mistakes += [(lambda X, g=g: logic_gate(g)[1], f"Your weights compute {g.upper()}, not "
                  f"{gate.upper()}.") for g in _GATES if g != gate]
    return check_function(lambda X: (X @ [w1, w2] + bias > 0).astype(int),
        lambda X: logic_gate(gate)[1], [(logic_gate(gate)[0],)], mistakes=mistakes,
        name=f"{gate.upper()} with w = [{w1:g}, {w2:g}], b = {bias:g}",
        hint="no weights do it: XOR is not linearly separable." if gate == "xor" else "write the "
        "four inequalities w1*a + w2*b + bias > 0 (or <= 0) and find numbers that satisfy them.",
        success=f"w = [{w1:g}, {w2:g}], b = {bias:g} computes {gate.upper()} on all four inputs.")
