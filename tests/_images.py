"""Decoding the images explorers make, to compare their pixels in tests."""

import io

import numpy as np
from PIL import Image


def decode_image(data: bytes) -> np.ndarray:
    """RGB pixels of shape (height, width, 3), uint8, of a WebP or PNG image."""
    with Image.open(io.BytesIO(data)) as image:
        return np.asarray(image.convert("RGB"))
