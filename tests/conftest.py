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


class CheckerContract:
    """What every exercise checker promises; the tests/test_checks*.py files use it."""

    @staticmethod
    def skeleton(*args, **kwargs):  # what the notebook hands the reader: returns None
        return None

    @staticmethod
    def crashes(*args, **kwargs):
        raise IndexError("index 5 is out of bounds")

    def passes_and_fails(self, checker, solution, wrong):
        """The reference passes; each wrong answer fails with its expected words and a hint."""
        from dlcourse.checks import CheckResult

        result = checker(solution)
        assert isinstance(result, CheckResult)
        assert result.passed, result.message
        assert result.message.startswith("✔ Correct")
        for bad, expected_text in wrong:
            result = checker(bad)
            assert not result.passed, expected_text
            assert result.message.startswith("✘ Not yet")
            assert expected_text.lower() in result.message.lower(), result.message
            assert "Hint:" in result.message

    def never_raises(self, checker):
        """A skeleton, a crash or not a function at all: a failed check, never an exception."""
        for candidate in (self.skeleton, self.crashes, None, 42, "text"):
            assert not checker(candidate).passed
        assert "returned None" in checker(self.skeleton).message
        assert "raised IndexError: index 5 is out of bounds" in checker(self.crashes).message
        assert "should be a function" in checker(None).message


@pytest.fixture
def checker_contract():
    return CheckerContract()


@pytest.fixture
def rng():
    """A NumPy generator seeded afresh for every test, so test data never depend on test order."""
    import numpy as np

    return np.random.default_rng(20240501)
