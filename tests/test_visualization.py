import matplotlib.image
import numpy as np
import pytest
import tensorflow as tf

from ganzoo import visualization


def _images(n=6, size=4, channels=1, value=0.0):
    return np.full((n, size, size, channels), value, dtype=np.float32)


def test_image_grid_shape_and_dtype():
    grid = visualization.image_grid(np.zeros((6, 5, 4, 3), np.float32), rows=2)
    assert grid.shape == (10, 12, 3)
    assert grid.dtype == np.uint8


def test_image_grid_maps_range_to_uint8():
    images = np.stack(
        [
            _images(1, value=-1.0)[0],
            _images(1, value=0.0)[0],
            _images(1, value=1.0)[0],
            _images(1, value=0.5)[0],
        ]
    )
    grid = visualization.image_grid(tf.constant(images), rows=2, cols=2)
    assert grid.shape == (8, 8, 1)
    np.testing.assert_array_equal(grid[:4, :4], 0)
    np.testing.assert_array_equal(grid[:4, 4:], 128)
    np.testing.assert_array_equal(grid[4:, :4], 255)
    np.testing.assert_array_equal(grid[4:, 4:], 191)  # rint(1.5 * 127.5) = 191


def test_image_grid_is_row_major():
    images = np.linspace(-1, 1, 6, dtype=np.float32)[:, None, None, None] * np.ones(
        (6, 2, 2, 1), np.float32
    )
    grid = visualization.image_grid(images, rows=2, cols=3)
    corners = grid[::2, ::2, 0]
    expected = np.rint((np.linspace(-1, 1, 6) + 1) * 127.5).reshape(2, 3)
    np.testing.assert_array_equal(corners, expected)


def test_image_grid_padding_is_white_between_cells_only():
    grid = visualization.image_grid(_images(4, value=-1.0), rows=2, cols=2, padding=2)
    assert grid.shape == (4 + 2 + 4, 4 + 2 + 4, 1)
    np.testing.assert_array_equal(grid[4:6, :], 255)
    np.testing.assert_array_equal(grid[:, 4:6], 255)
    assert (grid == 0).sum() == 4 * 16


def test_image_grid_empty_cells_are_white_and_cols_default():
    grid = visualization.image_grid(_images(3, value=-1.0), rows=2)  # cols = 2
    assert grid.shape == (8, 8, 1)
    np.testing.assert_array_equal(grid[4:, 4:], 255)
    np.testing.assert_array_equal(grid[4:, :4], 0)


def test_image_grid_tolerates_rounding_past_range():
    grid = visualization.image_grid(_images(1, value=1.001), rows=1)
    np.testing.assert_array_equal(grid, 255)


@pytest.mark.parametrize(
    "images, kwargs, message",
    [
        (np.zeros((4, 4, 1), np.float32), {}, "shape"),
        (np.zeros((1, 4, 4, 2), np.float32), {}, "channels"),
        (np.zeros((0, 4, 4, 1), np.float32), {}, "empty"),
        (np.zeros((1, 4, 4, 1), np.uint8), {}, "dtype"),
        (np.full((1, 4, 4, 1), 255.0, np.float32), {}, r"\[-1, 1\]"),
        (np.full((1, 4, 4, 1), np.nan, np.float32), {}, "NaN"),
        (np.zeros((5, 4, 4, 1), np.float32), {"cols": 2}, "holds 4 images"),
        (np.zeros((1, 4, 4, 1), np.float32), {"padding": -1}, "padding"),
    ],
)
def test_image_grid_rejects_bad_input(images, kwargs, message):
    with pytest.raises(ValueError, match=message):
        visualization.image_grid(images, rows=2, **kwargs)


def test_image_grid_rejects_bad_rows():
    with pytest.raises(ValueError, match="rows"):
        visualization.image_grid(_images(1), rows=0)


@pytest.mark.parametrize("channels", [1, 3])
def test_save_grid_writes_png(tmp_path, channels):
    rng = np.random.default_rng(0)
    images = rng.uniform(-1, 1, (4, 16, 16, channels)).astype(np.float32)
    path = tmp_path / "nested" / "dir" / "grid.png"
    returned = visualization.save_grid(images, path, rows=2, title="Samples")
    assert returned == str(path)
    assert path.stat().st_size > 0
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    picture = matplotlib.image.imread(path)
    assert picture.ndim == 3 and picture.shape[0] >= 100 and picture.shape[1] >= 100


def test_save_grid_row_labels_widen_the_picture(tmp_path):
    images = _images(4, size=16)
    plain = matplotlib.image.imread(visualization.save_grid(images, tmp_path / "a.png", rows=2))
    labelled = matplotlib.image.imread(
        visualization.save_grid(
            images, tmp_path / "b.png", rows=2, row_labels=["airplane", "automobile"]
        )
    )
    assert labelled.shape[0] == plain.shape[0]
    assert labelled.shape[1] > plain.shape[1]


def test_save_grid_rejects_wrong_number_of_row_labels(tmp_path):
    with pytest.raises(ValueError, match="one row label per row"):
        visualization.save_grid(_images(4), tmp_path / "a.png", rows=2, row_labels=["x"])
    assert not (tmp_path / "a.png").exists()
