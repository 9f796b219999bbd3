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
