"""Bad input to any public `dlcourse` function gets a clear error that names the argument.

Every public function and class of every module (its ``__all__``) is listed in ``CASES`` with
one valid call. The sweep then replaces one argument at a time by wrong values chosen from
the kind of the valid one (wrong types, empty arrays, NaN and inf, wrong shapes, out-of-range
numbers) and requires a ``TypeError`` or ``ValueError`` whose message names that argument in
backticks. A bad value a function legitimately accepts must be listed in the case's
``accepts``, so nothing slips through silently. ``test_every_public_function_is_swept``
fails when a module gains a public function without a case here.
"""

from __future__ import annotations

import importlib
import inspect
import math
import pkgutil
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import matplotlib.figure
import numpy as np
import pytest

import dlcourse

# Modules whose public names are not input-taking functions for learners.
SKIP_MODULES = {"sphinxext", "checks"}  # checkers never raise by design (tests/test_checks*.py)
# Public names that take no input worth sweeping, with the reason.
EXEMPT = {
    "dlcourse.widgets.precomputed_mode": "takes no arguments",
    "dlcourse.static_explorer.Precomputed": "a result record built by precompute()",
    "dlcourse.gradcheck.GradcheckResult": "a result record built by gradcheck()",
    "dlcourse.perceptron.PerceptronHistory": "a result record built by Perceptron.fit()",
    "dlcourse.widgets.Control": "abstract base class of the controls",
    "dlcourse.mlp.Module": "abstract base class of the layers",
    "dlcourse.optim.Optimizer": "abstract base class of the optimizers",
    "dlcourse.surfaces.Surface": "a record; its methods are swept below",
    "dlcourse.graphs.Node": "a record; draw_graph checks each one and names `nodes`",
}
# Cases whose valid call is checked but that reject nothing, with the reason.
NOTHING_TO_SWEEP = {"widgets.progress": "wraps any iterable, as tqdm does"}
NAN = float("nan")


def _ax():
    return matplotlib.figure.Figure().subplots()


@dataclass
class Case:
    """A valid call ``fn(**kwargs)`` and what the sweep must know about it."""

    name: str
    fn: Callable[[], Callable]  # builds the callable (fresh objects for methods)
    kwargs: dict[str, Any]
    extra_bad: dict[str, list] = field(default_factory=dict)  # more bad values per argument
    accepts: dict[str, list] = field(default_factory=dict)  # generic "bad" values that are fine
    skip: tuple[str, ...] = ()  # arguments not swept (e.g. the axes)
    names: dict[str, list[str]] = field(default_factory=dict)  # other names an error may use


def _f(obj):
    return lambda: obj


def _bad_values(example: Any) -> list:
    """Wrong values for an argument whose valid value is ``example``."""
    if isinstance(example, np.ndarray):
        bad = [None, "abc", np.zeros((0, *example.shape[1:]))]
        if example.dtype.kind == "f":
            bad += [np.full_like(example, NAN), np.full_like(example, np.inf)]
        return bad
    if isinstance(example, bool):
        return [None, "abc"]
    if isinstance(example, int):
        return [None, "abc", 2.5, NAN]
    if isinstance(example, float):
        return [None, "abc", NAN, math.inf]
    if isinstance(example, str):
        return [None, 3, "no-such-option"]
    if isinstance(example, tuple):
        return [None, "abc", (), (NAN, 1.0)]
    if isinstance(example, list):
        return [None, "abc", []]
    return [None, 3]


def _same(a, b) -> bool:
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        return a.shape == b.shape and a.dtype == b.dtype and np.array_equal(a, b, equal_nan=True)
    if isinstance(a, float) and math.isnan(a) and math.isnan(b):
        return True
    try:
        return bool(a == b)
    except Exception:
        return False


def x3():
    return np.array([-1.0, 0.5, 2.0])


def logits():
    return np.array([[1.0, 2.0, 0.5], [0.1, -1.0, 3.0]])


def _cases() -> list[Case]:
    from dlcourse import (
        activations,
        conv,
        datasets,
        gradcheck,
        inspection,
        losses,
        mlp,
        mnist,
        optim,
        perceptron,
        plotting,
        reproducibility,
        static_explorer,
        surfaces,
        widgets,
    )

    rng = np.random.default_rng(0)
    img = rng.normal(size=(1, 1, 6, 6))
    ker = rng.normal(size=(2, 1, 3, 3))
    probs = np.array([0.2, 0.7, 0.9])
    labels01 = np.array([0.0, 1.0, 1.0])
    maxout_w = rng.normal(size=(2, 3, 4))  # (pieces, in, out)? see activations.maxout
    cases = []
    for name in ["identity", "sigmoid", "tanh", "relu"]:
        for suffix in ["", "_grad"]:
            cases.append(
                Case(
                    f"activations.{name}{suffix}",
                    _f(getattr(activations, name + suffix)),
                    {"x": x3()},
                )
            )
    for name, param, bad in [("leaky_relu", "negative_slope", []), ("elu", "alpha", [-1.0])]:
        for suffix in ["", "_grad"]:
            cases.append(
                Case(
                    f"activations.{name}{suffix}",
                    _f(getattr(activations, name + suffix)),
                    {"x": x3(), param: 0.1},
                    extra_bad={param: bad},
                )
            )
    cases += [
        Case(
            "activations.softmax",
            _f(activations.softmax),
            {"x": logits(), "axis": -1},
            extra_bad={"axis": [5]},
        ),
        Case(
            "activations.softmax_jacobian",
            _f(activations.softmax_jacobian),
            {"x": np.array([1.0, 2.0, 3.0])},
        ),
    ]
    cases += _maxout_cases(activations, rng)
    _ = maxout_w
    reductions = {"reduction": "mean"}
    cases += [
        Case(
            "losses.mse_loss",
            _f(losses.mse_loss),
            {"input": x3(), "target": x3(), **reductions},
            extra_bad={"target": [np.ones(4)]},
        ),
        Case(
            "losses.mse_loss_grad",
            _f(losses.mse_loss_grad),
            {"input": x3(), "target": x3(), **reductions},
            extra_bad={"target": [np.ones(4)]},
        ),
        Case(
            "losses.binary_cross_entropy",
            _f(losses.binary_cross_entropy),
            {"input": probs, "target": labels01, **reductions},
            extra_bad={"input": [np.array([0.5, 1.5, 0.2])], "target": [np.ones(4)]},
        ),
        Case(
            "losses.binary_cross_entropy_with_logits",
            _f(losses.binary_cross_entropy_with_logits),
            {"input": x3(), "target": labels01, **reductions},
            extra_bad={"target": [np.ones(4)]},
        ),
        Case(
            "losses.binary_cross_entropy_with_logits_grad",
            _f(losses.binary_cross_entropy_with_logits_grad),
            {"input": x3(), "target": labels01, **reductions},
        ),
        Case(
            "losses.cross_entropy",
            _f(losses.cross_entropy),
            {"input": logits(), "target": np.array([0, 2]), **reductions},
            extra_bad={"target": [np.array([0, 3]), np.array([0.5, 1.0])]},
        ),
        Case(
            "losses.cross_entropy_grad",
            _f(losses.cross_entropy_grad),
            {"input": logits(), "target": np.array([0, 2]), **reductions},
            extra_bad={"target": [np.array([0, 3])]},
        ),
        Case(
            "losses.log_softmax",
            _f(losses.log_softmax),
            {"x": logits(), "axis": -1},
            extra_bad={"axis": [2]},
        ),
    ]
    cases += [
        Case(
            "conv.conv2d",
            _f(conv.conv2d),
            {"input": img, "weight": ker, "bias": np.zeros(2), "stride": 1, "padding": 0},
            extra_bad={
                "stride": [0, -1],
                "padding": [-1],
                "weight": [np.ones((2, 3, 3, 3)), np.ones((2, 1, 9, 9))],
                "bias": [np.zeros(3)],
            },
        ),
        Case(
            "conv.conv_output_size",
            _f(conv.conv_output_size),
            {"input_size": 5, "kernel_size": 3, "stride": 1, "padding": 0},
            extra_bad={"kernel_size": [0, 9], "stride": [0], "padding": [-1], "input_size": [0]},
        ),
    ]
    for name in ["max_pool2d", "avg_pool2d"]:
        cases.append(
            Case(
                f"conv.{name}",
                _f(getattr(conv, name)),
                {"input": img, "kernel_size": 2, "stride": 2, "padding": 0},
                extra_bad={"kernel_size": [0, 9], "stride": [0], "padding": [2]},
                accepts={"stride": [None]},
            )
        )
    for name in [
        "make_bank",
        "make_linearly_separable",
        "make_xor",
        "make_circles",
        "make_moons",
        "make_spiral",
    ]:
        cases.append(
            Case(
                f"datasets.{name}",
                _f(getattr(datasets, name)),
                {"n_samples": 20, "seed": 0},
                extra_bad={"n_samples": [0, -5], "seed": [-1]},
            )
        )
    cases += [
        Case(
            "datasets.bank_transactions",
            _f(datasets.bank_transactions),
            {"children": np.array([0.0, 2.0]), "accounts": np.array([1.0, 3.0])},
            extra_bad={"children": [np.array([-1.0, 2.0])]},
        ),
        Case("datasets.logic_gate", _f(datasets.logic_gate), {"name": "and"}),
        Case(
            "gradcheck.numerical_gradient",
            _f(gradcheck.numerical_gradient),
            {"f": lambda v: float(np.sum(v**2)), "x": x3(), "eps": 1e-6},
            extra_bad={"eps": [0.0, -1e-6]},
        ),
        Case(
            "gradcheck.gradcheck",
            _f(gradcheck.gradcheck),
            {"f": lambda v: float(np.sum(v**2)), "x": x3(), "analytic_grad": 2 * x3(), "eps": 1e-6},
            extra_bad={"analytic_grad": [np.ones(4)], "eps": [0.0]},
        ),
        Case("mnist.load_mnist", _f(mnist.load_mnist), {"split": "test"}),
        Case(
            "mnist.to_tensors",
            _f(mnist.to_tensors),
            {
                "images": np.zeros((2, 28, 28), dtype=np.uint8),
                "labels": np.array([1, 2], dtype=np.uint8),
            },
            extra_bad={
                "labels": [np.array([1, 2, 3], dtype=np.uint8)],
                "images": [np.zeros((2, 28, 28)) + 300],
            },
            accepts={"images": [], "labels": []},
        ),
        Case("perceptron.step", _f(perceptron.step), {"z": x3()}),
        Case(
            "perceptron.Perceptron",
            _f(perceptron.Perceptron),
            {"n_features": 2, "weight": np.array([1.0, -1.0]), "bias": 0.5},
            extra_bad={"n_features": [0], "weight": [np.ones(3)]},
        ),
        Case(
            "perceptron.Perceptron.forward",
            lambda: perceptron.Perceptron(2).forward,
            {"X": np.ones((3, 2))},
            extra_bad={"X": [np.ones((3, 3))]},
        ),
        Case(
            "perceptron.Perceptron.update",
            lambda: perceptron.Perceptron(2).update,
            {"x": np.ones(2), "target": 1, "lr": 1.0},
            extra_bad={"target": [2], "lr": [0.0, -1.0]},
        ),
        Case(
            "perceptron.Perceptron.fit",
            lambda: perceptron.Perceptron(2).fit,
            {"X": np.array([[1.0, 1.0], [-1.0, -1.0]]), "y": np.array([1, 0])},
            extra_bad={"y": [np.array([1, 2]), np.array([1, 0, 1])]},
        ),
        Case(
            "reproducibility.seed_everything",
            _f(reproducibility.seed_everything),
            {"seed": 0},
            extra_bad={"seed": [-1]},
        ),
        Case(
            "reproducibility.fair_thread_count",
            _f(reproducibility.fair_thread_count),
            {"max_threads": 1},
            extra_bad={"max_threads": [0, -2]},
            accepts={"max_threads": [None]},
        ),
        Case(
            "reproducibility.set_threads",
            _f(reproducibility.set_threads),
            {"max_threads": 1},
            extra_bad={"max_threads": [0]},
            accepts={"max_threads": [None]},
        ),
    ]
    cases += _mlp_cases(mlp)
    cases += _later_chapter_cases()
    cases += _optim_cases(optim)
    cases += _plotting_cases(plotting, inspection, surfaces)
    cases += _widget_cases(widgets, static_explorer)
    cases += _surface_method_cases(surfaces)
    return cases


def _later_chapter_cases():
    """Data sets, graphs, dropout and sequences of chapters 5 to 12."""
    from dlcourse import datasets, graphs, mlp, regularization, sequences

    nodes = {"x": graphs.Node(0.0, 0.0, "x", "input"), "y": graphs.Node(1.0, 0.0, "y")}
    series = np.sin(np.linspace(0, 6, 30))
    return [
        Case(
            "datasets.make_gaussian_classes",
            _f(datasets.make_gaussian_classes),
            {"n_samples": 20, "distance": 3.0, "noise": 1.0, "seed": 0},
            extra_bad={"n_samples": [0], "noise": [0.0, -1.0], "seed": [-1]},
        ),
        Case(
            "graphs.draw_graph",
            lambda: lambda **kw: graphs.draw_graph(_ax(), **kw),
            {"nodes": nodes, "edges": [("x", "y")], "values": {"x": 1.0}, "grads": None},
            extra_bad={
                "nodes": [
                    {"x": graphs.Node(NAN, 0.0)},
                    {"x": graphs.Node(0.0, 0.0, kind="nope"), "y": graphs.Node(1.0, 0.0)},
                    {"x": graphs.Node(0.0, 0.0, label=3), "y": graphs.Node(1.0, 0.0)},
                ],
                "edges": [[("x", "q")], [("x", "y"), ("y", "x")], [("x", "y"), ("x", "y")]],
                "values": [{"x": NAN}, {"q": 1.0}],
            },
            # no edges is a graph too; no values or gradients (yet) is the forward pass's start
            accepts={"edges": [[]], "values": [None], "grads": [None]},
        ),
        Case(
            "mlp.Dropout",
            _f(mlp.Dropout),
            {"p": 0.5, "seed": 0},
            extra_bad={"p": [-0.1, 1.0], "seed": [-1]},
        ),
        Case(
            "regularization.dropout",
            _f(regularization.dropout),
            {"input": x3(), "p": 0.5, "training": True, "rng": 0},
            extra_bad={"p": [-0.1, 1.0, 1.5], "rng": [-1, None]},  # a mask needs a seed
        ),
        Case(
            "sequences.make_sine_wave",
            _f(sequences.make_sine_wave),
            {"n_steps": 50, "period": 20.0, "noise": 0.1, "seed": 0},
            extra_bad={"n_steps": [0], "period": [0.0, -1.0], "noise": [-0.1], "seed": [-1]},
        ),
        Case(
            "sequences.sliding_windows",
            _f(sequences.sliding_windows),
            {"series": series, "window": 5},
            extra_bad={"window": [0, 30, 31], "series": [np.ones((3, 3, 3))]},
        ),
        Case(
            "sequences.draw_unrolled_rnn",
            lambda: lambda **kw: sequences.draw_unrolled_rnn(_ax(), **kw),
            {"n_steps": 3, "show_folded": True},
            extra_bad={"n_steps": [0, -2]},
        ),
    ]


def _maxout_cases(activations, rng):
    sig = inspect.signature(activations.maxout)
    assert list(sig.parameters) == ["x", "weight", "bias"]
    x = rng.normal(size=(4, 3))
    # the docstring gives the shapes: weight (pieces, in_features, out) or similar; build one
    # valid call by trying the layouts the function accepts
    for w_shape, b_shape in [((2, 3, 5), (2, 5)), ((5, 2, 3), (5, 2)), ((3, 5, 2), (5, 2))]:
        try:
            out = activations.maxout(x, rng.normal(size=w_shape), rng.normal(size=b_shape))
        except ValueError:
            continue
        w, b = rng.normal(size=w_shape), rng.normal(size=b_shape)
        g = np.ones_like(out)
        return [
            Case(
                "activations.maxout",
                _f(activations.maxout),
                {"x": x, "weight": w, "bias": b},
                extra_bad={"bias": [np.ones(7)]},
            ),
            Case(
                "activations.maxout_grad",
                _f(activations.maxout_grad),
                {"grad_output": g, "x": x, "weight": w, "bias": b},
                extra_bad={"grad_output": [np.ones((9, 9))]},
            ),
        ]
    raise AssertionError("no valid maxout layout found")


def _mlp_cases(mlp):
    X = np.random.default_rng(1).normal(size=(6, 2))
    y = np.array([0, 1, 0, 1, 1, 0])

    def model():
        return mlp.MLP([2, 3, 1], activation="tanh", seed=0)

    return [
        Case(
            "mlp.MLP",
            _f(mlp.MLP),
            {"layer_sizes": [2, 3, 1], "activation": "relu", "seed": 0},
            extra_bad={"layer_sizes": [[2], [2, 0, 1], [2, 2.5, 1]], "seed": [-1]},
        ),
        Case(
            "mlp.MLP.forward", lambda: model().forward, {"x": X}, extra_bad={"x": [np.ones((6, 3))]}
        ),
        Case(
            "mlp.MLP.predict",
            lambda: model().predict,
            {"x": X, "threshold": 0.5},
            extra_bad={"threshold": [1.5, -0.1]},
        ),
        Case("mlp.MLP.predict_proba", lambda: model().predict_proba, {"x": X}),
        Case(
            "mlp.MLP.backward",
            lambda: _after_forward(model(), X).backward,
            {"grad_output": np.ones((6, 1))},
            extra_bad={"grad_output": [np.ones((5, 1))]},
        ),
        Case(
            "mlp.Linear",
            _f(mlp.Linear),
            {"in_features": 2, "out_features": 3, "seed": 0},
            extra_bad={"in_features": [0], "out_features": [-1]},
        ),
        Case(
            "mlp.Linear.forward",
            lambda: mlp.Linear(2, 3, seed=0).forward,
            {"x": X},
            extra_bad={"x": [np.ones((6, 3))]},
        ),
        Case("mlp.Activation", _f(mlp.Activation), {"name": "tanh"}),
        Case(
            "mlp.Activation.backward",
            lambda: _after_forward(mlp.Activation("relu"), X).backward,
            {"grad_output": np.ones((6, 2))},
            extra_bad={"grad_output": [np.ones((5, 2))]},
        ),
        Case(
            "mlp.Parameter",
            _f(mlp.Parameter),
            {"data": np.ones(3), "name": "data"},
            accepts={"name": ["no-such-option"]},
        ),
        Case(
            "mlp.train",
            _f(mlp.train),
            {"model": model(), "X": X, "y": y, "lr": 0.1, "steps": 5, "loss": "bce"},
            extra_bad={"lr": [0.0, -0.1], "steps": [0], "y": [np.ones(5)], "X": [np.ones((6, 3))]},
        ),
    ]


def _after_forward(model, X):
    model.forward(X)
    return model


def _optim_cases(optim):
    def params():
        p = np.ones(3)
        return [p]

    from dlcourse.mlp import Parameter

    def mlp_params():
        p = Parameter(np.ones(3))
        p.grad = np.ones(3)
        return [p]

    cases = []
    for name, kwargs, bad in [
        (
            "SGD",
            {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.0, "nesterov": False},
            {"lr": [-0.1], "momentum": [-0.5], "weight_decay": [-1.0]},
        ),
        (
            "RMSprop",
            {"lr": 0.01, "alpha": 0.99, "eps": 1e-8, "weight_decay": 0.0},
            {"lr": [-0.1], "alpha": [-0.5, 1.5], "eps": [-1.0]},
        ),
        (
            "Adam",
            {"lr": 0.001, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0},
            {"lr": [-0.1], "betas": [(1.0, 0.9), (0.9, -0.1)], "eps": [-1.0]},
        ),
    ]:
        cls = getattr(optim, name)
        cases.append(
            Case(
                f"optim.{name}",
                _f(cls),
                {"params": mlp_params(), **kwargs},
                extra_bad={"params": [[], [np.ones(3)], "abc"], **bad},
            )
        )
    _ = params
    return cases


def _plotting_cases(plotting, inspection, surfaces):
    def on_ax(fn):
        return lambda: lambda **kw: fn(_ax(), **kw)

    X = np.array([[0.0, 1.0], [1.0, 0.0], [0.5, 0.5]])
    y = np.array([0, 1, 1])
    maps = np.random.default_rng(0).normal(size=(4, 5, 5))
    import torch

    model = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.ReLU())
    return [
        Case(
            "plotting.plot_data",
            on_ax(plotting.plot_data),
            {"X": X, "y": y, "size": 30.0},
            extra_bad={"X": [np.ones((3, 3))], "y": [np.array([0, 1])], "size": [-1.0]},
        ),
        Case(
            "plotting.plot_decision_regions",
            on_ax(plotting.plot_decision_regions),
            {
                "predict": lambda P: (P[:, 0] > 0).astype(int),
                "xlim": (-1.0, 1.0),
                "ylim": (-1.0, 1.0),
                "n_classes": 2,
                "resolution": 20,
            },
            extra_bad={"xlim": [(1.0, -1.0)], "n_classes": [0], "resolution": [1]},
        ),
        Case(
            "plotting.plot_probability_map",
            on_ax(plotting.plot_probability_map),
            {
                "predict_proba": lambda P: np.full(len(P), 0.5),
                "xlim": (-1.0, 1.0),
                "ylim": (-1.0, 1.0),
                "resolution": 20,
            },
            extra_bad={"ylim": [(1.0, -1.0)], "resolution": [1]},
        ),
        Case(
            "plotting.plot_linear_boundary",
            on_ax(plotting.plot_linear_boundary),
            {"weight": np.array([1.0, -1.0]), "bias": 0.5, "xlim": (-1.0, 1.0)},
            extra_bad={"weight": [np.ones(3)]},
            accepts={"xlim": [None]},
        ),
        Case(
            "plotting.draw_network",
            on_ax(plotting.draw_network),
            {"layer_sizes": [2, 3, 1]},
            extra_bad={"layer_sizes": [[2, 0, 1], [2.5, 1]]},
        ),
        Case(
            "plotting.plot_grid",
            on_ax(plotting.plot_grid),
            {
                "values": np.arange(16.0).reshape(4, 4),
                "window": (0, 0, 2, 2),
                "kernel": np.ones((2, 2)),
                "padding": 1,
                "fontsize": 10.0,
            },
            extra_bad={
                "padding": [-1, 2],
                "window": [(3, 3, 2, 2), (0, 0, 0, 1)],
                "kernel": [np.ones((3, 3))],
                "fontsize": [0.5],
            },
            accepts={"window": [None], "kernel": [None]},  # both optional
        ),
        Case(
            "inspection.plot_feature_maps",
            on_ax(inspection.plot_feature_maps),
            {"maps": maps, "ncols": 2},
            extra_bad={"ncols": [0]},
            accepts={"ncols": [None]},
        ),
        Case(
            "inspection.plot_kernels",
            on_ax(inspection.plot_kernels),
            {"weight": np.ones((2, 1, 3, 3))},
            extra_bad={"weight": [np.ones(3)]},
        ),
        Case(
            "inspection.record_activations",
            _f(inspection.record_activations),
            {"model": model, "x": torch.zeros(1, 1, 5, 5)},
            extra_bad={"x": [np.zeros((1, 1, 5, 5))]},
        ),
        Case(
            "surfaces.plot_contours",
            on_ax(surfaces.plot_contours),
            {"surface": "ravine", "levels": 5, "resolution": 20},
            extra_bad={"levels": [1], "resolution": [2], "surface": ["bumpy"]},
        ),
        Case(
            "surfaces.plot_curve",
            on_ax(surfaces.plot_curve),
            {"surface": "bumpy", "resolution": 50},
            extra_bad={"resolution": [2], "surface": ["bowl"]},
        ),
    ]


def _surface_method_cases(surfaces):
    s = surfaces.SURFACES["ravine"]
    return [
        Case(
            "surfaces.Surface.__call__",
            _f(s.__call__),
            {"p": np.array([1.0, 2.0])},
            extra_bad={"p": [np.ones(3)]},
            # inf and NaN pass through: a diverging descent should see inf, not an error
            accepts={"p": [np.array([NAN, NAN]), np.array([np.inf, np.inf])]},
        ),
        Case(
            "surfaces.Surface.grad",
            _f(s.grad),
            {"p": np.array([1.0, 2.0])},
            extra_bad={"p": [np.ones(3)]},
            accepts={"p": [np.array([NAN, NAN]), np.array([np.inf, np.inf])]},
        ),
    ]


def _widget_cases(widgets, static_explorer):
    def draw(ax, a):
        ax.plot([0, 1], [0, a])

    def explorer():
        return widgets.explore(draw, a=widgets.Slider(0, 2, 1, value=1), figsize=(2.0, 2.0), dpi=40)

    return [
        Case(
            "widgets.Slider",
            _f(widgets.Slider),
            {"min": 0.0, "max": 1.0, "step": 0.25, "value": 0.5},
            extra_bad={"step": [0.0, -0.1, 0.3], "max": [-1.0], "value": [5.0]},
            accepts={"value": [None]},
        ),
        Case(
            "widgets.Dropdown",
            _f(widgets.Dropdown),
            {"options": [1, 2, 3], "value": 2},
            extra_bad={"options": [[], 5], "value": [7]},
            accepts={"value": [None, "abc", 3]},
        ),
        Case("widgets.Checkbox", _f(widgets.Checkbox), {"value": True}),
        Case(
            "widgets.explore",
            _f(widgets.explore),
            {
                "draw": draw,
                "a": widgets.Slider(0, 2, 1),
                "nrows": 1,
                "ncols": 1,
                "figsize": (2.0, 2.0),
                "dpi": 40,
            },
            extra_bad={"nrows": [0, 9], "dpi": [1], "figsize": [(0.0, 1.0)], "a": [[1, 2]]},
            # `a` is a control; a bad one is reported by name
            skip=(),
        ),
        Case(
            "widgets.Explorer",
            _f(widgets.Explorer),
            {"draw": draw, "controls": {"a": widgets.Slider(0, 2, 1)}},
            extra_bad={"controls": [{}, {"b": widgets.Slider(0, 2, 1)}, {"a": 3}]},
            names={"controls": ["a"]},  # a bad control is named by its key
        ),
        Case(
            "widgets.progress",
            _f(widgets.progress),
            {"iterable": [1, 2]},
            accepts={"iterable": [None, "abc", []]},
        ),
        Case(
            "static_explorer.precompute", _f(static_explorer.precompute), {"explorer": explorer()}
        ),
        Case(
            "static_explorer.to_html",
            _f(static_explorer.to_html),
            {"explorer": explorer()},
            accepts={"precomputed": [None]},
        ),
    ]


CASES = _cases()
ALLOWED = (TypeError, ValueError)


def _public_names():
    names = []
    for info in pkgutil.iter_modules(dlcourse.__path__):
        if info.name.startswith("_") or info.name in SKIP_MODULES:
            continue
        module = importlib.import_module(f"dlcourse.{info.name}")
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if inspect.isfunction(obj) or inspect.isclass(obj):
                names.append(f"dlcourse.{info.name}.{name}")
    return sorted(names)


def test_every_public_function_is_swept():
    swept = {f"dlcourse.{c.name}" for c in CASES}
    missing = [n for n in _public_names() if n not in swept and n not in EXEMPT]
    assert not missing, f"add a Case for each of these to tests/test_bad_input.py: {missing}"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_the_valid_call_works(case):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        case.fn()(**case.kwargs)


def _must_fail(case: Case, arg: str, value: Any) -> bool:
    """Whether the sweep must see ``value`` for ``arg`` rejected (not an accepted value)."""
    if any(_same(value, ok) for ok in case.accepts.get(arg, [])):
        return False
    param = inspect.signature(case.fn()).parameters.get(arg)
    default_is_none = param is not None and param.default is None
    explicitly_bad = any(_same(value, bad) for bad in case.extra_bad.get(arg, []))
    return not (value is None and default_is_none and not explicitly_bad)


def _sweep_items():
    """One item per (case, argument, bad value) that must raise; accepted values are not
    items at all, so no item can pass without testing something."""
    for case in CASES:
        for arg, example in case.kwargs.items():
            if arg in case.skip:
                continue
            bad = _bad_values(example) + case.extra_bad.get(arg, [])
            for k, value in enumerate(bad):
                if _must_fail(case, arg, value):
                    yield pytest.param(case, arg, value, id=f"{case.name}-{arg}-{k}")


SWEEP = list(_sweep_items())


def test_every_case_is_swept_and_names_a_public_callable():
    swept = {item.values[0].name for item in SWEEP}
    public = set(_public_names())
    for case in CASES:
        if case.name not in NOTHING_TO_SWEEP:
            assert case.name in swept, f"{case.name}: no bad value is swept"
        module, *path = case.name.split(".")
        obj = importlib.import_module(f"dlcourse.{module}")
        for attr in path:  # a removed function leaves a stale case behind
            assert hasattr(obj, attr), f"stale case {case.name}"
            obj = getattr(obj, attr)
    assert all(name in public for name in EXEMPT), "EXEMPT lists a name that is gone"


@pytest.mark.parametrize(("case", "arg", "value"), SWEEP)
def test_bad_argument_is_named_in_a_clear_error(case, arg, value):
    kwargs = {**case.kwargs, arg: value}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning from NumPy instead of an error
        try:
            result = case.fn()(**kwargs)
        except ALLOWED as exc:
            # `arg`, or a part of it such as `arg[1]`; a mismatch may name the other side
            names = [arg, *case.names.get(arg, [])]
            named = any(re.search(rf"`{re.escape(n)}(`|\[|\.)", str(exc)) for n in names)
            assert named, f"the message does not name `{arg}`: {exc}"
            return
        except Exception as exc:
            pytest.fail(f"{case.name}({arg}={value!r}) raised {type(exc).__name__}: {exc}")
    pytest.fail(f"{case.name}({arg}={value!r}) returned {result!r} instead of raising")
