"""What every exercise checker promises, and the one table-driven test each checker gets.

A ``tests/test_checks*.py`` module lists its checkers in a ``TABLE`` of
``(checker, solution, [(wrong answer, words its message must contain), ...])`` rows and turns
it into a test with one line::

    test_checker_passes_a_solution_and_rejects_each_mistake_by_name = table_test(TABLE)
"""

import pytest


class CheckerContract:
    """What every exercise checker promises."""

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


def table_test(table, *, no_runtime_warnings=False):
    """A test, parametrised over ``table``: each solution passes, each wrong answer fails by
    name, nothing raises; with ``no_runtime_warnings``, NumPy warns of nothing either."""
    contract = CheckerContract()

    @pytest.mark.parametrize(("checker", "solution", "wrong"), table, ids=lambda v: "")
    def test(checker, solution, wrong, recwarn):
        contract.passes_and_fails(checker, solution, wrong)
        contract.never_raises(checker)
        if no_runtime_warnings:
            assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]

    return test
