"""Tests for :mod:`dlcourse.mnist`: the shipped data, the IDX loader, its cache and errors."""

from __future__ import annotations

import contextlib
import gzip
import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from dlcourse import mnist
from dlcourse.mnist import CLASSES, CREDIT, MNIST_MEAN, MNIST_STD, load_mnist, to_tensors

REPO = Path(__file__).resolve().parents[1]
PACKAGE_DATA = REPO / "dlcourse" / "data" / "mnist"
TEST_IMAGES = "t10k-images-idx3-ubyte.gz"
TEST_LABELS = "t10k-labels-idx1-ubyte.gz"

# Class frequencies published with MNIST (digits 0..9).
TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


@pytest.fixture(scope="module")
def mnist_train():
    return load_mnist("train")


@pytest.fixture(scope="module")
def mnist_test():
    return load_mnist("test")


# --------------------------------------------------------------------------------------
# Helpers that write small IDX files
# --------------------------------------------------------------------------------------


def idx_images(n: int, rows: int = 28, cols: int = 28, magic: int = 0x803) -> bytes:
    pixels = (np.arange(n * rows * cols) % 256).astype(np.uint8)
    return struct.pack(">IIII", magic, n, rows, cols) + pixels.tobytes()


def idx_labels(n: int, magic: int = 0x801) -> bytes:
    return struct.pack(">II", magic, n) + (np.arange(n) % 10).astype(np.uint8).tobytes()


def write_gz(path: Path, data: bytes) -> Path:
    path.write_bytes(gzip.compress(data))
    return path


@pytest.fixture
def fake_dir(tmp_path):
    """A data folder with a structurally valid, tiny test split (which fails the checksum)."""
    write_gz(tmp_path / TEST_IMAGES, idx_images(5))
    write_gz(tmp_path / TEST_LABELS, idx_labels(5))
    return tmp_path


@contextlib.contextmanager
def raises_naming(exc_type, path: Path, *words: str):
    """Expect ``exc_type`` whose message names ``path`` and contains ``words`` (any case)."""
    with pytest.raises(exc_type) as info:
        yield
    message = str(info.value)
    assert str(path.resolve()) in message
    for word in words:
        assert word.lower() in message.lower(), word


# --------------------------------------------------------------------------------------
# The shipped data
# --------------------------------------------------------------------------------------


def test_data_ships_inside_the_package():
    assert mnist._DATA_DIR.resolve() == PACKAGE_DATA.resolve()
    names = sorted(p.name for p in PACKAGE_DATA.glob("*.gz"))
    assert names == sorted(f"{stem}.gz" for stem in mnist.SHA256)
    assert (PACKAGE_DATA / "README.md").is_file()


def test_recorded_checksums_match_the_readme():
    readme = (PACKAGE_DATA / "README.md").read_text(encoding="utf-8")
    for stem, digest in mnist.SHA256.items():
        assert re.search(rf"\| {re.escape(stem)} \| \d+ \| {digest} \|", readme), stem
    assert "CC BY-SA 3.0" in CREDIT
    for author in ("Yann LeCun", "Corinna Cortes", "Christopher J. C. Burges"):
        assert author in CREDIT
        assert author in mnist.__doc__


def test_constants():
    assert CLASSES == tuple(range(10))
    assert MNIST_MEAN == 0.1307
    assert MNIST_STD == 0.3081
    assert "\n" not in CREDIT


def test_import_does_not_import_torch():
    code = "import sys, dlcourse.mnist; sys.exit('torch' in sys.modules)"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
    }
    assert subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO).returncode == 0


# --------------------------------------------------------------------------------------
# Loading the real data
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("split", "n"), [("train", 60_000), ("test", 10_000)])
def test_shapes_dtypes_and_ranges(split, n):
    images, labels = load_mnist(split)
    assert images.shape == (n, 28, 28)
    assert labels.shape == (n,)
    assert images.dtype == np.uint8
    assert labels.dtype == np.uint8
    assert images.min() == 0
    assert images.max() == 255
    assert set(np.unique(labels)) == set(CLASSES)


def test_label_counts(mnist_train, mnist_test):
    for (_, labels), expected in [(mnist_train, TRAIN_COUNTS), (mnist_test, TEST_COUNTS)]:
        counts = np.bincount(labels, minlength=10)
        assert counts.tolist() == expected
        assert counts.sum() == len(labels)


def test_known_facts(mnist_train, mnist_test):
    train_images, train_labels = mnist_train
    test_images, test_labels = mnist_test
    assert train_labels[:5].tolist() == [5, 0, 4, 1, 9]
    assert test_labels[:5].tolist() == [7, 2, 1, 0, 4]
    assert int(train_images[0].sum(dtype=np.int64)) == 27525
    assert int(test_images[0].sum(dtype=np.int64)) == 18454
    assert train_images[0, 0].tolist() == [0] * 28  # a blank top row of background
    # MNIST_MEAN and MNIST_STD are the training statistics, from a histogram of grey levels.
    counts = np.bincount(train_images.ravel(), minlength=256)
    levels = np.arange(256) / 255.0
    mean = (counts * levels).sum() / counts.sum()
    std = np.sqrt((counts * (levels - mean) ** 2).sum() / counts.sum())
    assert mean == pytest.approx(MNIST_MEAN, abs=1e-4)
    assert std == pytest.approx(MNIST_STD, abs=1e-4)


def test_cache_returns_the_same_arrays_without_reading_the_files_again(mnist_train, monkeypatch):
    def no_reading(path):
        raise AssertionError(f"{path} was read again")

    monkeypatch.setattr(mnist, "_read_gzip", no_reading)
    images, labels = load_mnist("train")
    assert images is mnist_train[0]
    assert labels is mnist_train[1]
    # The same folder spelled differently hits the same cache entry.
    assert load_mnist("train", data_dir=str(PACKAGE_DATA))[0] is images


def test_returned_arrays_are_read_only(mnist_test):
    images, labels = mnist_test
    with pytest.raises(ValueError, match="read-only"):
        images[0, 0, 0] = 1
    with pytest.raises(ValueError, match="read-only"):
        labels[0] = 1
    with pytest.raises(ValueError):
        images.setflags(write=True)
    assert load_mnist("test")[1][0] == 7


# --------------------------------------------------------------------------------------
# Bad arguments and bad files
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("split", ["val", "Train", ""])
def test_unknown_split(split):
    with pytest.raises(ValueError, match=r"`split`.*'train', 'test'"):
        load_mnist(split)


@pytest.mark.parametrize("split", [0, None, ["train"]])
def test_split_of_wrong_type(split):
    with pytest.raises(TypeError, match="`split`"):
        load_mnist(split)


def test_data_dir_of_wrong_type():
    with pytest.raises(TypeError, match="`data_dir`"):
        load_mnist("test", data_dir=3)


def test_missing_folder(tmp_path):
    missing = tmp_path / "nowhere"
    with raises_naming(FileNotFoundError, missing / TEST_IMAGES, "not found"):
        load_mnist("test", data_dir=missing)


def test_missing_labels_file(fake_dir):
    (fake_dir / TEST_LABELS).unlink()
    with raises_naming(FileNotFoundError, fake_dir / TEST_LABELS, "restore", "not found"):
        load_mnist("test", data_dir=fake_dir)


def test_not_gzip(fake_dir):
    path = fake_dir / TEST_IMAGES
    path.write_bytes(idx_images(5))  # uncompressed
    with raises_naming(ValueError, path, "not a valid gzip"):
        load_mnist("test", data_dir=fake_dir)


def test_truncated_gzip(fake_dir):
    path = fake_dir / TEST_LABELS
    shutil.copy(PACKAGE_DATA / TEST_LABELS, path)
    path.write_bytes(path.read_bytes()[:2000])
    with raises_naming(ValueError, path, "truncated"):
        load_mnist("test", data_dir=fake_dir)


def test_corrupted_gzip_bytes(fake_dir):
    path = fake_dir / TEST_LABELS
    data = bytearray((PACKAGE_DATA / TEST_LABELS).read_bytes())
    data[1000:1100] = bytes(100)
    path.write_bytes(bytes(data))
    with raises_naming(ValueError, path, "corrupted", "restore"):
        load_mnist("test", data_dir=fake_dir)


def test_labels_file_where_images_are_expected(fake_dir):
    path = fake_dir / TEST_IMAGES
    shutil.copy(PACKAGE_DATA / TEST_LABELS, path)
    with raises_naming(ValueError, path, "0x00000801", "IDX labels file", "0x00000803"):
        load_mnist("test", data_dir=fake_dir)


def test_bad_magic(fake_dir):
    path = write_gz(fake_dir / TEST_LABELS, idx_labels(5, magic=0xDEADBEEF))
    with raises_naming(ValueError, path, "magic number 0xDEADBEEF", "not an MNIST IDX file"):
        load_mnist("test", data_dir=fake_dir)


def test_empty_file_content(fake_dir):
    path = write_gz(fake_dir / TEST_LABELS, b"")
    with raises_naming(ValueError, path, "too short"):
        load_mnist("test", data_dir=fake_dir)


def test_truncated_pixels(fake_dir):
    path = write_gz(fake_dir / TEST_IMAGES, idx_images(5)[:-28])
    with raises_naming(ValueError, path, "truncated", "5 images"):
        load_mnist("test", data_dir=fake_dir)


def test_extra_bytes(fake_dir):
    path = write_gz(fake_dir / TEST_LABELS, idx_labels(5) + b"\x00")
    with raises_naming(ValueError, path, "extra bytes"):
        load_mnist("test", data_dir=fake_dir)


def test_wrong_image_size(fake_dir):
    path = write_gz(fake_dir / TEST_IMAGES, idx_images(5, rows=27))
    with raises_naming(ValueError, path, "27x28"):
        load_mnist("test", data_dir=fake_dir)


def test_count_mismatch(fake_dir):
    write_gz(fake_dir / TEST_LABELS, idx_labels(4))
    with raises_naming(ValueError, fake_dir / TEST_IMAGES, "5 images", "4 labels"):
        load_mnist("test", data_dir=fake_dir)


def test_checksum_mismatch_of_synthetic_images(fake_dir):
    with raises_naming(ValueError, fake_dir / TEST_IMAGES, "checksum", "SHA-256"):
        load_mnist("test", data_dir=fake_dir)


def test_checksum_catches_a_single_changed_label(tmp_path):
    shutil.copy(PACKAGE_DATA / TEST_IMAGES, tmp_path / TEST_IMAGES)
    labels = bytearray(gzip.decompress((PACKAGE_DATA / TEST_LABELS).read_bytes()))
    labels[8] = 3  # the first test label is 7
    path = write_gz(tmp_path / TEST_LABELS, bytes(labels))
    with raises_naming(ValueError, path, "checksum"):
        load_mnist("test", data_dir=tmp_path)


def test_a_faithful_copy_loads(tmp_path, mnist_test):
    for name in (TEST_IMAGES, TEST_LABELS):
        shutil.copy(PACKAGE_DATA / name, tmp_path / name)
    images, labels = load_mnist("test", data_dir=tmp_path)
    np.testing.assert_array_equal(images, mnist_test[0])
    np.testing.assert_array_equal(labels, mnist_test[1])


def test_failures_are_not_cached(fake_dir):
    for _ in range(2):
        with pytest.raises(ValueError, match="checksum"):
            load_mnist("test", data_dir=fake_dir)
    assert not any(directory == fake_dir.resolve() for _, directory in mnist._CACHE)


# --------------------------------------------------------------------------------------
# to_tensors
# --------------------------------------------------------------------------------------


def test_to_tensors_on_the_test_set(mnist_test):
    x, y = to_tensors(*mnist_test)
    assert x.shape == (10_000, 1, 28, 28)
    assert y.shape == (10_000,)
    assert x.dtype == torch.float32
    assert y.dtype == torch.int64
    assert abs(x.mean().item()) < 0.02
    assert abs(x.std().item() - 1.0) < 0.02
    assert y[:3].tolist() == [7, 2, 1]
    assert x.is_contiguous()


def test_to_tensors_formula():
    images = np.zeros((2, 28, 28), dtype=np.uint8)
    images[1] = 255
    x_default, y = to_tensors(images, [3, 9])
    assert y.tolist() == [3, 9]
    assert x_default[0, 0, 0, 0].item() == pytest.approx(-MNIST_MEAN / MNIST_STD)
    assert x_default[1, 0, 0, 0].item() == pytest.approx((1 - MNIST_MEAN) / MNIST_STD)


def test_to_tensors_accepts_channel_axis_and_other_dtypes():
    images = np.full((3, 1, 28, 28), 255.0)
    x, y = to_tensors(torch.from_numpy(images), np.array([1, 2, 3], dtype=np.uint8))
    assert x.shape == (3, 1, 28, 28)
    assert y.tolist() == [1, 2, 3]
    assert y.dtype == torch.int64


def test_to_tensors_does_not_share_memory_with_its_inputs():
    images = np.zeros((1, 28, 28), dtype=np.int64)
    labels = np.array([4])
    x, y = to_tensors(images, labels)
    x += 1
    y += 1
    assert images.max() == 0
    assert labels[0] == 4


GOOD_IMAGES = np.zeros((2, 28, 28), dtype=np.uint8)
GOOD_LABELS = np.array([0, 9])


@pytest.mark.parametrize(
    ("images", "labels", "kwargs", "error", "pattern"),
    [
        ("digits", GOOD_LABELS, {}, TypeError, "`images`"),
        (None, GOOD_LABELS, {}, TypeError, "`images`"),
        (np.zeros((2, 28, 28), dtype=bool), GOOD_LABELS, {}, TypeError, "`images`"),
        (np.zeros((2, 784)), GOOD_LABELS, {}, ValueError, r"`images`.*\(n, 28, 28\)"),
        (np.zeros((2, 27, 28)), GOOD_LABELS, {}, ValueError, "`images`"),
        (np.zeros((2, 3, 28, 28)), GOOD_LABELS, {}, ValueError, "`images`"),
        (np.zeros((0, 28, 28)), GOOD_LABELS, {}, ValueError, "`images` is empty"),
        (np.full((2, 28, 28), 256), GOOD_LABELS, {}, ValueError, r"`images`.*\[0, 255\]"),
        (np.full((2, 28, 28), -1.0), GOOD_LABELS, {}, ValueError, r"`images`.*\[0, 255\]"),
        (np.full((2, 28, 28), 0.5), GOOD_LABELS, {}, ValueError, "`images`.*already scaled"),
        (np.full((2, 28, 28), np.nan), GOOD_LABELS, {}, ValueError, "`images`.*NaN"),
        (GOOD_IMAGES, [0, 10], {}, ValueError, "`labels`.*0 to 9"),
        (GOOD_IMAGES, [-1, 0], {}, ValueError, "`labels`.*0 to 9"),
        (GOOD_IMAGES, [0.5, 1], {}, ValueError, "`labels`"),
        (GOOD_IMAGES, [[0, 1]], {}, ValueError, "`labels`"),
        (GOOD_IMAGES, [0, 1, 2], {}, ValueError, "`labels`.*2 images.*3 labels"),
        (GOOD_IMAGES, "ab", {}, TypeError, "`labels`"),
    ],
)
def test_to_tensors_argument_errors(images, labels, kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        to_tensors(images, labels, **kwargs)
