"""Shared test configuration: headless matplotlib and no stray figures."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib.figure
import pytest
from hypothesis import settings

# Property-based tests draw the same examples on every run and every machine: a failure that
# CI sees can be reproduced, and a green run cannot turn red by chance on the next commit.
settings.register_profile("dlcourse", derandomize=True)
settings.load_profile("dlcourse")


@pytest.fixture
def ax():
    """A fresh Axes on a figure that is not registered with pyplot."""
    return matplotlib.figure.Figure(figsize=(4, 3)).subplots()


@pytest.fixture
def rng():
    """A NumPy generator seeded afresh for every test, so test data never depend on test order."""
    import numpy as np

    return np.random.default_rng(20240501)


@pytest.fixture(autouse=True)
def no_drawing_ahead(request, monkeypatch):
    """Live explorers draw states ahead in a child process (dlcourse.widgets._Prefetch): off in
    tests, which count draws, unless a test asks for the ``drawing_ahead`` fixture."""
    if "drawing_ahead" not in request.fixturenames:
        from dlcourse import widgets

        monkeypatch.setattr(widgets._Prefetch, "allowed", staticmethod(lambda: False))


@pytest.fixture
def drawing_ahead():
    """Let explorers draw ahead; stop the child process at the end."""
    from dlcourse import widgets

    yield widgets._Prefetch
    widgets._a_cell_runs()
