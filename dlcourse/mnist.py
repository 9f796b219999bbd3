"""The MNIST handwritten digits, loaded from the copy shipped inside the course package.

MNIST is by Yann LeCun, Corinna Cortes and Christopher J. C. Burges, under CC BY-SA 3.0:
chapters print :data:`CREDIT` next to their first figure of digits. The four gzipped IDX files
live in ``dlcourse/data/mnist/``, with a README of their checksums and licence.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import struct
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ._validation import as_array, check_option, describe

if TYPE_CHECKING:
    import torch

__all__ = ["CLASSES", "CREDIT", "MNIST_MEAN", "MNIST_STD", "SHA256", "load_mnist", "to_tensors"]

#: Mean and standard deviation of the training pixels scaled to [0, 1].
MNIST_MEAN, MNIST_STD = 0.1307, 0.3081
#: The ten class labels, the digits 0 to 9.
CLASSES = tuple(range(10))

#: One-line attribution to print wherever the data is shown.
CREDIT = (
    "MNIST: Yann LeCun, Corinna Cortes and Christopher J. C. Burges, "
    "http://yann.lecun.com/exdb/mnist/ (CC BY-SA 3.0)"
)

#: SHA-256 of each file's DECOMPRESSED bytes, as recorded in ``data/mnist/README.md``.
SHA256 = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}

_DATA_DIR = Path(__file__).parent / "data" / "mnist"
_FILES = {  # split -> (images, labels), as names without the ".gz" suffix; the valid splits
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
_IMAGES_MAGIC, _LABELS_MAGIC = 0x00000803, 0x00000801
_SIDE = 28
_HINT = (
    "Restore the original file from the course repository (`git checkout -- "
    "dlcourse/data/mnist/` in your clone), or reinstall the course package from that clone "
    "(`pip install --force-reinstall .`)."
)

# (split, resolved data directory) -> (images, labels); the arrays are read-only.
_CACHE: dict[tuple[str, Path], tuple[np.ndarray, np.ndarray]] = {}


def load_mnist(
    split: str = "train", *, data_dir: str | os.PathLike | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Load the MNIST images and labels of one split, checked against their SHA-256 and
    cached in memory after the first call.

    Parameters
    ----------
    split : {"train", "test"}, default "train"
        The 60,000 training digits or the 10,000 test digits.
    data_dir : str or os.PathLike, optional
        Folder holding the four ``*-idx?-ubyte.gz`` files; by default the package's own copy.

    Returns
    -------
    images : numpy.ndarray of uint8, shape (n, 28, 28)
        Grey levels from 0 (background) to 255 (ink).
    labels : numpy.ndarray of uint8, shape (n,)
        The digit shown in each image, 0 to 9.

    Both arrays are **read-only** (shared with the cache); copy them to modify.

    Raises
    ------
    ValueError, FileNotFoundError
        If a file is missing, corrupted or not the expected IDX file (the message says how to
        restore it).
    """
    if not isinstance(split, str):
        raise TypeError(f"`split` must be a string, 'train' or 'test'; got {describe(split)}.")
    check_option(split, "split", list(_FILES))
    if data_dir is not None and not isinstance(data_dir, (str, os.PathLike)):
        raise TypeError(
            f"`data_dir` must be a path (str or os.PathLike) or None; got {describe(data_dir)}."
        )
    directory = (_DATA_DIR if data_dir is None else Path(data_dir).expanduser()).resolve()
    key = (split, directory)
    if key not in _CACHE:
        _CACHE[key] = _load_split(split, directory)
    return _CACHE[key]


def _load_split(split: str, directory: Path) -> tuple[np.ndarray, np.ndarray]:
    """Read, parse and verify both files of ``split``; raise before returning anything."""
    images_name, labels_name = _FILES[split]
    images_path, labels_path = directory / f"{images_name}.gz", directory / f"{labels_name}.gz"
    images_bytes, labels_bytes = _read_gzip(images_path), _read_gzip(labels_path)
    images = _parse_idx(images_bytes, images_path, _IMAGES_MAGIC, n_dims=3)
    labels = _parse_idx(labels_bytes, labels_path, _LABELS_MAGIC, n_dims=1)
    if len(images) != len(labels):
        raise ValueError(
            f"MNIST files disagree: {images_path} holds {len(images)} images but "
            f"{labels_path} holds {len(labels)} labels; one of them is the wrong file. {_HINT}"
        )
    _verify_sha256(images_bytes, images_path, SHA256[images_name])
    _verify_sha256(labels_bytes, labels_path, SHA256[labels_name])
    return images, labels


def _read_gzip(path: Path) -> bytes:
    """The decompressed content of the gzip file ``path``."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise FileNotFoundError(
            f"MNIST file not found: {path}. The course expects the four MNIST .gz files in "
            f"{path.parent}. {_HINT}"
        ) from None
    try:
        return gzip.decompress(raw)
    except EOFError:
        problem = "is truncated (the gzip stream ends early)"
    except (OSError, zlib.error) as exc:
        problem = f"is not a valid gzip file or is corrupted ({exc})"
    raise ValueError(f"MNIST file {path} {problem}. {_HINT}")


def _parse_idx(data: bytes, path: Path, magic: int, n_dims: int) -> np.ndarray:
    """Parse an IDX file (images: 3 dimensions, labels: 1) into a read-only uint8 array."""
    header = 4 + 4 * n_dims
    if len(data) < header:
        raise ValueError(
            f"MNIST file {path} is too short ({len(data)} bytes) to hold an IDX header of "
            f"{header} bytes; it is truncated or empty. {_HINT}"
        )
    found, *dims = struct.unpack(f">{1 + n_dims}I", data[:header])
    kinds = {_IMAGES_MAGIC: "images", _LABELS_MAGIC: "labels"}
    if found != magic:
        what = f"an IDX {kinds[found]} file" if found in kinds else "not an MNIST IDX file"
        raise ValueError(
            f"MNIST file {path} has magic number 0x{found:08X} ({what}); expected 0x{magic:08X} "
            f"(IDX {kinds[magic]}). The file is corrupted or was swapped with another. {_HINT}"
        )
    if dims[1:] not in ([], [_SIDE, _SIDE]):
        raise ValueError(
            f"MNIST file {path} holds {dims[1]}x{dims[2]} images; expected {_SIDE}x{_SIDE}. {_HINT}"
        )
    expected, n_bytes = int(np.prod(dims)), len(data) - header
    if n_bytes != expected:
        state = "truncated" if n_bytes < expected else "has extra bytes"
        what = f"{dims[0]} images of {_SIDE}x{_SIDE} pixels" if n_dims == 3 else f"{dims[0]} labels"
        raise ValueError(
            f"MNIST file {path} is {state}: its header announces {what} ({expected} bytes) "
            f"but {n_bytes} bytes follow. {_HINT}"
        )
    return np.frombuffer(data, dtype=np.uint8, offset=header).reshape(dims)


def _verify_sha256(data: bytes, path: Path, expected: str) -> None:
    """Compare the SHA-256 of the decompressed bytes with the recorded value."""
    found = hashlib.sha256(data).hexdigest()
    if found != expected:
        raise ValueError(
            f"MNIST file {path} failed its checksum: the SHA-256 of its decompressed bytes is "
            f"{found}, expected {expected}. The file is corrupted or modified. {_HINT}"
        )


def to_tensors(images: Any, labels: Any) -> tuple[torch.Tensor, torch.Tensor]:
    """Normalised PyTorch tensors: each pixel becomes ``(x / 255 - MNIST_MEAN) / MNIST_STD``,
    so that the training pixels have mean 0 and standard deviation 1.

    Parameters
    ----------
    images : array_like of shape (n, 28, 28) or (n, 1, 28, 28)
        Raw grey levels, whole numbers from 0 to 255, as returned by :func:`load_mnist`.
    labels : array_like of int, shape (n,)
        Digits 0 to 9, one per image.

    Returns
    -------
    x : torch.Tensor of float32, shape (n, 1, 28, 28)
        The normalised images, with the channel axis ``torch.nn.Conv2d`` expects.
    y : torch.Tensor of int64, shape (n,)
    """
    pixels = _check_images(images)
    targets = _check_labels(labels, n=len(pixels))

    import torch  # imported here so that `import dlcourse.mnist` stays light

    x = torch.from_numpy(pixels.astype(np.float32).reshape(len(pixels), 1, _SIDE, _SIDE))
    x.div_(255.0).sub_(MNIST_MEAN).div_(MNIST_STD)
    y = torch.from_numpy(np.array(targets, dtype=np.int64))
    return x, y


def _check_images(images: Any) -> np.ndarray:
    """Check raw pixel values without converting them (the training set is 47 MB as uint8)."""
    if hasattr(images, "detach") and hasattr(images, "numpy"):  # a torch tensor
        images = images.detach().cpu().numpy()
    arr = np.asarray(images)
    if arr.dtype.kind not in "uif":  # also None, a string, ...
        raise TypeError(f"`images` must hold numbers (uint8 pixels); got {describe(images)}.")
    if arr.shape[1:] not in ((_SIDE, _SIDE), (1, _SIDE, _SIDE)):
        raise ValueError(
            f"`images` must have shape (n, 28, 28) or (n, 1, 28, 28); got {describe(arr)}."
        )
    if len(arr) == 0:
        raise ValueError("`images` is empty; expected at least one image.")
    if arr.dtype == np.uint8:
        return arr
    low, high = arr.min(), arr.max()
    if not (np.isfinite(low) and np.isfinite(high)):
        raise ValueError("`images` contains NaN or infinite values; expected 0 to 255.")
    if low < 0 or high > 255:
        raise ValueError(
            f"`images` must hold raw pixel values in [0, 255]; got values {low:g} to {high:g}."
        )
    if arr.dtype.kind == "f" and not np.all(arr == np.round(arr)):
        raise ValueError(
            "`images` must hold raw pixel values, whole numbers from 0 to 255; got fractional "
            "values (already scaled to [0, 1]?). Pass the uint8 images from load_mnist()."
        )
    return arr


def _check_labels(labels: Any, n: int) -> np.ndarray:
    """Check that ``labels`` holds ``n`` digits 0..9; return them as int64."""
    arr = as_array(labels, "labels", shape=("n",), dtype=int)
    if len(arr) != n:
        raise ValueError(
            f"`labels` must have one label per image: `images` holds {n} images but "
            f"`labels` holds {len(arr)} labels."
        )
    low, high = arr.min(), arr.max()
    if low < CLASSES[0] or high > CLASSES[-1]:
        raise ValueError(f"`labels` must hold digits 0 to 9; got values from {low} to {high}.")
    return arr
