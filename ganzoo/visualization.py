"""Sample grids: tiling generated images into one picture and writing it as a PNG."""

import math
import os

import numpy as np

# Tolerance on the [-1, 1] range: float16 and bfloat16 rounding can step just past it.
_RANGE_TOLERANCE = 1e-2
_BORDER_VALUE = 255  # Borders and empty cells are white.


def _as_numpy(images):
    if hasattr(images, "numpy"):
        images = images.numpy()
    return np.asarray(images)


def image_grid(images, rows, cols=None, padding=0):
    """Tiles a batch of images in [-1, 1] into one uint8 image, row-major.

    Image `i` goes to row `i // cols`, column `i % cols`. Pixel values map linearly from
    [-1, 1] to [0, 255] (-1 -> 0, 0 -> 128, 1 -> 255). Cells left without an image, and the
    borders between cells, are white.

    Args:
        images: float array or tensor of shape `(n, height, width, channels)` with values in
            [-1, 1] and 1, 3 or 4 channels, e.g. the output of `GAN.generate`.
        rows: number of rows of the grid.
        cols: number of columns; `ceil(n / rows)` when omitted.
        padding: width in pixels of the white border between neighbouring cells (none on
            the outside edge).

    Returns:
        A uint8 numpy array of shape `(rows * height + (rows - 1) * padding,
        cols * width + (cols - 1) * padding, channels)`.

    Example:
    ```python
    grid = ganzoo.visualization.image_grid(gan.generate(64, seed=0), rows=8)
    ```
    """
    images = _as_numpy(images)
    if images.ndim != 4:
        raise ValueError(
            f"Expected a batch of images of shape (n, height, width, channels), got shape "
            f"{images.shape}. Add a batch axis to a single image with images[None]."
        )
    n, height, width, channels = images.shape
    if channels not in (1, 3, 4):
        raise ValueError(
            f"Expected 1 (grayscale), 3 (RGB) or 4 (RGBA) channels, got {channels} (images "
            f"of shape {images.shape}). Images must be channels-last."
        )
    if n == 0:
        raise ValueError("Expected at least one image, got an empty batch.")
    if not np.issubdtype(images.dtype, np.floating):
        raise ValueError(
            f"Expected float images in [-1, 1], got dtype {images.dtype}. Scale uint8 "
            "images with images / 127.5 - 1."
        )
    images = images.astype(np.float32)
    if not np.all(np.isfinite(images)):
        raise ValueError(
            "The images contain NaN or infinite values; the generator may have diverged."
        )
    low, high = float(images.min()), float(images.max())
    if low < -1 - _RANGE_TOLERANCE or high > 1 + _RANGE_TOLERANCE:
        raise ValueError(
            f"Expected images in [-1, 1], got values in [{low:.3g}, {high:.3g}]. Scale "
            "images in [0, 1] with 2 * images - 1 and images in [0, 255] with "
            "images / 127.5 - 1, or clip the generator's output."
        )
    rows = int(rows)
    if rows < 1:
        raise ValueError(f"rows must be a positive integer, got {rows}.")
    cols = math.ceil(n / rows) if cols is None else int(cols)
    if cols < 1:
        raise ValueError(f"cols must be a positive integer, got {cols}.")
    if n > rows * cols:
        raise ValueError(
            f"A grid of {rows} rows and {cols} columns holds {rows * cols} images, got {n}. "
            "Pass fewer images or a larger grid."
        )
    padding = int(padding)
    if padding < 0:
        raise ValueError(f"padding must be a non-negative integer, got {padding}.")

    pixels = np.rint((np.clip(images, -1.0, 1.0) + 1.0) * 127.5).astype(np.uint8)
    grid = np.full(
        (rows * height + (rows - 1) * padding, cols * width + (cols - 1) * padding, channels),
        _BORDER_VALUE,
        dtype=np.uint8,
    )
    for index in range(n):
        top = (index // cols) * (height + padding)
        left = (index % cols) * (width + padding)
        grid[top : top + height, left : left + width] = pixels[index]
    return grid


def save_grid(
    images, path, rows, cols=None, title=None, row_labels=None, padding=2, cell_inches=None
):
    """Writes a grid of images in [-1, 1] to a PNG file.

    Drawn with matplotlib's Agg backend on a private `Figure` (no pyplot global state), so
    it works headless and from several threads. Grayscale images use the gray colormap.

    Args:
        images: float array or tensor of shape `(n, height, width, channels)` in [-1, 1].
        path: where to write the PNG; parent directories are created.
        rows, cols: grid layout, as in `image_grid`.
        title: optional text above the grid.
        row_labels: optional list of strings, one per row (e.g. class names of a
            conditional model), drawn to the left of each row.
        padding: white border in pixels between cells.
        cell_inches: size of one cell in the figure; by default large enough that every
            image pixel gets at least one PNG pixel (at 100 dpi), and at least 1 inch.

    Returns:
        `path`, as a string.

    Example:
    ```python
    ganzoo.visualization.save_grid(
        gan.generate(64, seed=0), "samples/final.png", rows=8, title="DCGAN, MNIST"
    )
    ```
    """
    # Imported here so that `import ganzoo` does not pay for matplotlib.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    grid = image_grid(images, rows, cols, padding=padding)
    images_shape = _as_numpy(images).shape
    height, width = images_shape[1], images_shape[2]
    rows = int(rows)
    if row_labels is not None:
        row_labels = [str(label) for label in row_labels]
        if len(row_labels) != rows:
            raise ValueError(
                f"Expected one row label per row ({rows}), got {len(row_labels)}: {row_labels}."
            )

    dpi = 100
    if cell_inches is None:
        cell_inches = max(1.0, max(height, width) / dpi)
    scale = cell_inches / max(height, width)
    figure = Figure(figsize=(grid.shape[1] * scale, grid.shape[0] * scale), dpi=dpi)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0.0, 0.0, 1.0, 1.0))
    if grid.shape[-1] == 1:
        axes.imshow(grid[..., 0], cmap="gray", vmin=0, vmax=255, interpolation="nearest")
    else:
        axes.imshow(grid, interpolation="nearest")
    axes.set_xticks([])
    axes.set_yticks([])
    for spine in axes.spines.values():
        spine.set_visible(False)
    if title is not None:
        axes.set_title(str(title))
    if row_labels is not None:
        for row, label in enumerate(row_labels):
            center = row * (height + padding) + (height - 1) / 2
            axes.text(-0.5 - max(2, width / 8), center, label, ha="right", va="center")

    path = os.fspath(path)
    parent = os.path.dirname(path)
    if parent:
        os.makedirs(parent, exist_ok=True)
    # "tight" grows the picture to fit the title and the row labels outside the axes.
    figure.savefig(path, format="png", dpi=dpi, bbox_inches="tight", pad_inches=0.05)
    return path
