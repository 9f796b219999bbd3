"""Shared test configuration: headless matplotlib and no stray figures."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib.figure
import pytest


@pytest.fixture
def ax():
    """A fresh Axes on a figure that is not registered with pyplot."""
    return matplotlib.figure.Figure(figsize=(4, 3)).subplots()
