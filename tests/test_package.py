"""Package hygiene: cheap import, no side effects, documented public API."""

import importlib
import inspect
import pkgutil
import subprocess
import sys

import dlcourse

MODULES = [
    m.name
    for m in pkgutil.iter_modules(dlcourse.__path__, "dlcourse.")
    if not m.name.split(".")[-1].startswith("_")
]


def test_import_has_no_side_effects():
    code = (
        "import sys, matplotlib; before = dict(matplotlib.rcParams);"
        "import dlcourse, " + ", ".join(MODULES) + ";"
        "assert dict(matplotlib.rcParams) == before, 'rcParams changed';"
        "assert 'torch' not in sys.modules, 'torch imported';"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported';"
        "assert 'ipywidgets' not in sys.modules, 'ipywidgets imported'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_every_module_and_public_function_has_a_docstring():
    missing = []
    for name in MODULES:
        module = importlib.import_module(name)
        assert module.__doc__, f"{name} has no module docstring"
        for attr in getattr(module, "__all__", []):
            obj = getattr(module, attr)
            if (inspect.isfunction(obj) or inspect.isclass(obj)) and not obj.__doc__:
                missing.append(f"{name}.{attr}")
    assert not missing, f"no docstring: {missing}"


def test_seed_everything_repeats_numbers():
    import random

    import numpy as np
    import torch

    a = dlcourse.seed_everything(7)
    first = (a.normal(), random.random(), np.random.rand(), torch.rand(1).item())  # noqa: NPY002
    b = dlcourse.seed_everything(7)
    second = (b.normal(), random.random(), np.random.rand(), torch.rand(1).item())  # noqa: NPY002
    assert first == second
