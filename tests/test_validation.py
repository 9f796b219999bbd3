import numpy as np
import pytest

from dlcourse._validation import (
    as_array,
    check_callable,
    check_int,
    check_option,
    check_rng,
    check_scalar,
)


def test_as_array_converts_lists_and_tensors():
    torch = pytest.importorskip("torch")
    assert as_array([[1, 2], [3, 4]], "X", shape=(None, 2)).dtype == np.float64
    out = as_array(torch.ones(3, dtype=torch.float32), "x", ndim=1)
    assert isinstance(out, np.ndarray) and out.shape == (3,)


@pytest.mark.parametrize(
    ("value", "kwargs", "error", "pattern"),
    [
        (None, {}, TypeError, "`X` must be a numeric array-like; got NoneType"),
        ("abc", {}, TypeError, "`X` must be a numeric array-like"),
        ([[1, 2], [3]], {}, ValueError, "`X` must be a rectangular"),
        ([1, 2, 3], {"shape": ("n_samples", 2)}, ValueError, r"shape \(n_samples, 2\)"),
        (np.ones((3, 3)), {"shape": ("n_samples", 2)}, ValueError, "axis 1 has length 3"),
        ([], {}, ValueError, "`X` is empty"),
        ([1.0, np.nan], {}, ValueError, "NaN or infinite"),
        ([1.5], {"dtype": int}, ValueError, "whole numbers"),
        ([1 + 2j], {}, TypeError, "real numbers"),
        (np.ones((2, 2, 2)), {"ndim": (1, 2)}, ValueError, "1-D or 2-D"),
    ],
)
def test_as_array_rejects_bad_input(value, kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        as_array(value, "X", **kwargs)


def test_as_array_allows_empty_and_nan_when_asked():
    assert as_array([], "X", allow_empty=True).size == 0
    assert np.isnan(as_array([np.nan], "X", finite=False)).all()


def test_check_scalar():
    assert check_scalar(3, "lr") == 3.0
    with pytest.raises(TypeError, match="`lr` must be a real number; got bool"):
        check_scalar(True, "lr")
    with pytest.raises(TypeError, match="`lr` must be a real number; got str"):
        check_scalar("0.1", "lr")
    with pytest.raises(ValueError, match=r"`lr` must be in \(0, inf\]; got -0.1"):
        check_scalar(-0.1, "lr", low=0, low_inclusive=False)
    with pytest.raises(ValueError, match="`lr` must be finite"):
        check_scalar(float("inf"), "lr")
    with pytest.raises(ValueError, match=r"`p` must be in \[0, 1\)"):
        check_scalar(1.0, "p", low=0, high=1, high_inclusive=False)


def test_check_int_option_callable_rng():
    assert check_int(np.int64(4), "epochs", low=1) == 4
    with pytest.raises(TypeError, match="`epochs` must be an integer; got float"):
        check_int(2.0, "epochs")
    with pytest.raises(ValueError, match=r"`epochs` must be in \[1, inf\]; got 0"):
        check_int(0, "epochs", low=1)
    with pytest.raises(ValueError, match="`gate` must be one of 'and', 'or'; got 'xand'"):
        check_option("xand", "gate", ("and", "or"))
    with pytest.raises(ValueError, match="`gate` must be one of"):
        check_option([], "gate", ("and",))  # unhashable: still a clear error
    with pytest.raises(TypeError, match="`draw` must be callable"):
        check_callable(3, "draw")
    assert check_rng(5).integers(100) == np.random.default_rng(5).integers(100)
    with pytest.raises(ValueError, match="`seed` must be in"):
        check_rng(-1)
