"""Image datasets for GAN training: tensorflow-datasets, folders and arrays.

`load()` turns any of three sources into the one thing every ganzoo model
trains on: a shuffled, batched, prefetched `tf.data.Dataset` of float32 images
in `[-1, 1]` with shape `(batch_size, height, width, channels)`, optionally
paired with int32 labels.

- A tensorflow-datasets name (`"mnist"`, `"fashion_mnist"`, `"cifar10"`, ...).
  tfds downloads and prepares a dataset once into a `data_dir`. Without a
  network, prepare it from the original files with `prepare()` (or the
  command `ganzoo data prepare <name> --from DIR`).
- A folder of images (png, jpg, jpeg, bmp, gif); with labels, each
  subfolder is one class.
- In-memory NumPy arrays: uint8 images in `[0, 255]`, or float images already
  in `[-1, 1]`.

For the 2-D mode-collapse testbed (`ganzoo.testbed`), `sample_mixture` draws points from
the Gaussian mixtures of VEEGAN and PacGAN (`MIXTURES`: "ring8", "grid25"); a float32 array
of shape `(num_samples, 2)` that `fit` takes directly with a `batch_size`.

Problems with a source are reported when `load` or `prepare` is called, as a
`DatasetError` (a `ValueError`) whose message names the problem and the fix.

Example:

```python
import ganzoo

ganzoo.datasets.prepare("mnist", "/path/to/original/mnist/files")
images = ganzoo.datasets.load("mnist", batch_size=64)
gan.fit(images, epochs=5)
```
"""

import difflib
import os
import shlex
import shutil
import socket
import urllib.parse
import urllib.request
from typing import NamedTuple

import numpy as np
import tensorflow as tf
import tensorflow_datasets as tfds
from tensorflow_datasets.core.download import download_manager

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif")

# Larger datasets are shuffled through a window of this many images; arrays
# and folders are also put in random order once, so the window mixes well.
_MAX_SHUFFLE_BUFFER = 10_000

# tfds retries an unreachable download host for minutes before it gives up,
# so `load` first checks that the host answers within this many seconds.
_NETWORK_TIMEOUT_SECONDS = 3.0


class DatasetError(ValueError):
    """A dataset source that cannot be loaded; the message says the fix."""


def load(
    source,
    split="train",
    batch_size=64,
    with_labels=False,
    *,
    data_dir=None,
    image_size=None,
    channels=None,
    shuffle=True,
    seed=None,
    drop_remainder=True,
    cache=True,
    download=True,
):
    """Loads images as batches of float32 in `[-1, 1]`, ready for `GAN.fit`.

    The pipeline is: read and decode (uint8 stays uint8), optional resize and
    channel conversion, cache, shuffle (reshuffled every epoch), batch, scale
    to `[-1, 1]` as `x / 127.5 - 1`, prefetch. Caching happens before
    scaling, so a cached uint8 dataset takes a quarter of the memory.

    A tensorflow-datasets dataset must be prepared in `data_dir` before it can
    be read. When it is not, `load` downloads it only if `download=True` and
    the download host answers within a few seconds; otherwise it raises a
    `DatasetError` at once that gives the command to prepare it from local
    files. (Without a network, tfds itself would retry the download for
    several minutes before failing.)

    Args:
        source: what to load. One of:
            - a tensorflow-datasets name such as `"mnist"`,
              `"fashion_mnist"` or `"cifar10"` (any tfds name with an image
              feature works; `"name/config:version"` too);
            - a path to a folder of images. With `with_labels=True` each
              subfolder is a class, numbered in sorted order of the folder
              names. Start relative paths with `"./"` when a folder has the
              name of a tfds dataset;
            - a NumPy array of images `(N, H, W, C)` or `(N, H, W)`, either
              uint8 in `[0, 255]` or float in `[-1, 1]`;
            - a tuple `(images, labels)` with integer labels of shape `(N,)`.
        split: the tfds split to read, e.g. `"train"`, `"test"` or
            `"train[:10%]"`. Ignored for folders and arrays.
        batch_size: number of images per batch.
        with_labels: if `True`, elements are `(images, labels)` with int32
            labels of shape `(batch_size,)`; otherwise just images.
        data_dir: the tfds data directory. `None` means the tfds default:
            the `TFDS_DATA_DIR` environment variable, else
            `~/tensorflow_datasets`.
        image_size: `None` to keep the stored size, or an int or
            `(height, width)` to resize every image (bilinear, antialiased).
            For folders, `None` means every image must have the size of the
            first one.
        channels: `None` to keep the stored channels, `1` for grayscale or
            `3` for RGB. Alpha channels are dropped. For folders, `None`
            means grayscale if the first image (in sorted order) is
            grayscale, else RGB.
        shuffle: whether to shuffle. The order changes every epoch.
        seed: an int for a reproducible shuffle order, or `None`.
        drop_remainder: whether to drop the last, smaller batch, so that
            every batch has exactly `batch_size` images.
        cache: `True` to cache the decoded images in memory after the first
            epoch, a string to cache them in files with that path prefix, or
            `False` not to cache.
        download: whether a tfds dataset that is not prepared may be
            downloaded when a network is available.

    Returns:
        A `tf.data.Dataset` of float32 images `(B, H, W, C)` in `[-1, 1]`,
        or of `(images, labels)` pairs when `with_labels=True`. For folders
        and tfds datasets with class labels, the dataset has a `class_names`
        attribute, the list of class names by label.

    Raises:
        DatasetError: for an unknown name, a missing or empty folder, arrays
            of a bad shape, dtype or range, labels of the wrong length, a tfds
            dataset that is not prepared and cannot be downloaded, or fewer
            images than `batch_size` with `drop_remainder=True`.

    Example:

    ```python
    # A tfds dataset, with labels for a conditional GAN.
    dataset = ganzoo.datasets.load("mnist", batch_size=64, with_labels=True)
    images, labels = next(iter(dataset))  # (64, 28, 28, 1), (64,)

    # A folder of RGB images of any size, resized to 64x64.
    dataset = ganzoo.datasets.load("./faces", image_size=64, channels=3)

    # Arrays, e.g. from keras.datasets.
    (x_train, y_train), _ = keras.datasets.mnist.load_data()
    dataset = ganzoo.datasets.load((x_train, y_train), with_labels=True)
    ```
    """
    if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise DatasetError(f"batch_size must be a positive integer, got {batch_size!r}.")
    size = _normalize_image_size(image_size)
    if channels not in (None, 1, 3):
        raise DatasetError(
            f"channels must be None (keep), 1 (grayscale) or 3 (RGB), got {channels!r}."
        )

    class_names = None
    if isinstance(source, (str, os.PathLike)):
        text = os.fspath(source)
        path = os.path.expanduser(text)
        # tfds names never start with "/", "." or "~", so such a string is a
        # path even when a tfds dataset has the folder's name.
        explicit_path = (
            isinstance(source, os.PathLike) or os.path.isabs(text) or text.startswith((".", "~"))
        )
        builder = None if explicit_path else _find_builder(text, data_dir)
        if builder is not None:
            dataset, stored_channels, class_names, shuffle_buffer = _from_tfds(
                builder,
                split,
                size,
                with_labels,
                shuffle,
                seed,
                download,
                data_dir,
            )
        elif os.path.isdir(path):
            dataset, stored_channels, class_names, shuffle_buffer = _from_folder(
                path, size, channels, with_labels, shuffle, seed
            )
        else:
            raise DatasetError(_unknown_source_message(text, explicit_path))
    else:
        dataset, stored_channels, shuffle_buffer = _from_arrays(source, with_labels)

    dataset = _resize_and_convert(dataset, size, stored_channels, channels, with_labels)
    count = int(dataset.cardinality())
    if drop_remainder and 0 <= count < batch_size:
        raise DatasetError(
            f"The dataset has {count} images, fewer than batch_size="
            f"{batch_size}, so with drop_remainder=True it would yield no "
            f"batch at all. Use a smaller batch_size or "
            f"drop_remainder=False."
        )
    if cache:
        dataset = dataset.cache(cache if isinstance(cache, str) else "")
    if shuffle:
        dataset = dataset.shuffle(shuffle_buffer, seed=seed, reshuffle_each_iteration=True)
    dataset = dataset.batch(batch_size, drop_remainder=drop_remainder)
    dataset = _map_images(dataset, _scale, with_labels)
    dataset = dataset.prefetch(tf.data.AUTOTUNE)
    if class_names is not None:
        dataset.class_names = class_names
    return dataset


def prepare(name, source_dir, data_dir=None):
    """Prepares a tensorflow-datasets dataset from its original files, offline.

    tfds normally downloads the original files of a dataset and converts them
    once into its own format in `data_dir`. `prepare` does the conversion
    from files you already have, with no network: it looks up each original
    file by its original name in `source_dir` (or in `source_dir/<name>`),
    checks its checksum against the one tfds registers, and writes the
    prepared dataset into `data_dir`, where `load(name, data_dir=...)` finds
    it. Preparing a dataset that is already prepared does nothing.

    Each dataset gets its own extraction folder,
    `<data_dir>/downloads/extracted/<name>`, emptied before and after
    preparation: tfds names extracted files only after the original file
    name, and MNIST and Fashion-MNIST share their file names, so a shared
    folder would silently give the second dataset the first one's images.

    Args:
        name: the tfds name, e.g. `"mnist"` or `"fashion_mnist"`.
        source_dir: folder holding the original files, e.g.
            `train-images-idx3-ubyte.gz` for MNIST. A parent folder with a
            `<name>` subfolder works too.
        data_dir: the tfds data directory to write to. `None` means the tfds
            default: the `TFDS_DATA_DIR` environment variable, else
            `~/tensorflow_datasets`.

    Returns:
        The data directory the dataset was prepared in, as a string.

    Raises:
        DatasetError: if `name` is not a tfds dataset, `source_dir` is not a
            folder, files are missing from it (the message lists the missing
            files and all expected names) or are not the original files, or
            tfds knows no file names for the dataset, so it cannot be
            prepared offline.

    Example:

    ```python
    data_dir = ganzoo.datasets.prepare("mnist", "downloads/mnist", "tfds_data")
    dataset = ganzoo.datasets.load("mnist", data_dir=data_dir)
    ```
    """
    builder = _find_builder(name, data_dir)
    if builder is None:
        raise DatasetError(_unknown_source_message(name, explicit_path=False))
    root = os.fspath(builder.data_dir_root)
    if builder.is_prepared():
        return root

    expected = _expected_files(builder)
    source_dir = os.path.expanduser(os.fspath(source_dir))
    if not os.path.isdir(source_dir):
        raise DatasetError(
            f"Cannot prepare {name!r}: source folder {source_dir!r} does not "
            f"exist. Pass the folder that holds its original files: "
            f"{', '.join(expected) or '(see the tfds catalog)'}."
        )
    if not expected and not builder.MANUAL_DOWNLOAD_INSTRUCTIONS:
        # tfds would ignore source_dir and try to download, which hangs for
        # minutes without a network.
        raise DatasetError(
            f"Cannot prepare {name!r} offline: tfds registers no original "
            f"file names for it, so it would download them instead of "
            f"reading {source_dir!r}. Prepare it with tfds where a network "
            f"is available and copy the data_dir, or load the images from a "
            f"folder or arrays instead."
        )
    subfolder = os.path.join(source_dir, builder.name)
    if _missing(expected, source_dir) and os.path.isdir(subfolder):
        if not _missing(expected, subfolder):
            source_dir = subfolder
    missing = _missing(expected, source_dir)
    if missing:
        raise DatasetError(
            f"Cannot prepare {name!r}: {len(missing)} of its original files "
            f"are missing from {source_dir!r}: {', '.join(missing)}. tfds "
            f"looks them up by their original names, which are: "
            f"{', '.join(expected)}. Put the files there under these names, "
            f"unchanged (tfds checks their checksums)."
        )

    extract_dir = os.path.join(
        root, "downloads", "extracted", *builder.info.full_name.split("/")[:-1]
    )
    shutil.rmtree(extract_dir, ignore_errors=True)
    config = tfds.download.DownloadConfig(
        manual_dir=source_dir,
        extract_dir=extract_dir,
        try_download_gcs=False,
    )
    try:
        builder.download_and_prepare(download_config=config)
    except download_manager.NonMatchingChecksumError as error:
        raise DatasetError(
            f"Cannot prepare {name!r}: a file in {source_dir!r} is not the "
            f"original file tfds expects (its checksum differs). Replace it "
            f"with the original, unchanged download. tfds says: {error}"
        ) from error
    finally:
        shutil.rmtree(extract_dir, ignore_errors=True)
    return root


def _find_builder(name, data_dir):
    """Returns the tfds builder called `name`, or `None` if there is none."""
    try:
        return tfds.builder(name, data_dir=data_dir)
    except tfds.core.registered.DatasetNotFoundError:
        return None
    except ValueError as error:
        # Strings such as "my-images" or "data.npz" are not even valid names.
        if str(error).startswith("Parsing builder name string"):
            return None
        raise


def _unknown_source_message(text, explicit_path):
    if os.path.exists(os.path.expanduser(text)):
        return (
            f"{text!r} is a file, not a folder of images or a "
            f"tensorflow-datasets name. Pass the folder that holds the "
            f"images, or load the file into a NumPy array and pass that."
        )
    if explicit_path:
        return (
            f"Folder {text!r} does not exist. Pass an existing folder of "
            f"images, a tensorflow-datasets name, or NumPy arrays."
        )
    names = tfds.list_builders(with_community_datasets=False)
    close = difflib.get_close_matches(text.split("/")[0], names, n=3)
    hint = f" Did you mean {' or '.join(map(repr, close))}?" if close else ""
    return (
        f"Unknown dataset {text!r}: it is neither a tensorflow-datasets name "
        f"nor an existing folder.{hint} See tfds.list_builders() for dataset "
        f"names, or pass a path to a folder of images (e.g. './images') or "
        f"NumPy arrays."
    )


def _expected_files(builder):
    """Returns the original file names that tfds expects for `builder`."""
    infos = builder.url_infos or {}
    return sorted({info.filename for info in infos.values() if info.filename})


def _missing(expected, folder):
    return [f for f in expected if not os.path.isfile(os.path.join(folder, f))]


def _not_prepared_message(builder, data_dir, reason):
    name = builder.info.full_name.rsplit("/", 1)[0]
    command = f"ganzoo data prepare {name} --from DIR"
    call = f'ganzoo.datasets.prepare("{name}", "DIR"'
    if data_dir is not None:
        command += f" --data-dir {shlex.quote(os.fspath(data_dir))}"
        call += f", data_dir={os.fspath(data_dir)!r}"
    files = _expected_files(builder)
    files = f" ({', '.join(files)})" if files else ""
    return (
        f"Dataset {name!r} is not prepared in data_dir "
        f"'{os.fspath(builder.data_dir_root)}' and {reason}. Prepare it once "
        f"from its original files{files}, which need no network:\n"
        f"    {command}\n"
        f"or in Python:\n"
        f"    {call})\n"
        f"where DIR is the folder that holds the files. Then load it with "
        f"the same data_dir (data_dir=None means the TFDS_DATA_DIR "
        f"environment variable, else ~/tensorflow_datasets)."
    )


def _download_url(builder):
    infos = builder.url_infos or {}
    return next(iter(sorted(infos)), "https://storage.googleapis.com")


def _network_available(url, timeout=_NETWORK_TIMEOUT_SECONDS):
    """Returns whether the host of `url` (or its proxy) accepts a connection."""
    parsed = urllib.parse.urlparse(url)
    proxy = urllib.request.getproxies().get(parsed.scheme)
    target = urllib.parse.urlparse(proxy) if proxy else parsed
    port = target.port or (443 if target.scheme == "https" else 80)
    try:
        with socket.create_connection((target.hostname, port), timeout=timeout):
            return True
    except (OSError, ValueError):
        return False


def _from_tfds(builder, split, size, with_labels, shuffle, seed, download, data_dir):
    if not builder.is_prepared():
        url = _download_url(builder)
        if not download:
            reason = "download=False"
        elif not _network_available(url):
            host = urllib.parse.urlparse(url).hostname
            reason = f"its download host {host} cannot be reached (offline?)"
        else:
            reason = None
        if reason:
            raise DatasetError(_not_prepared_message(builder, data_dir, reason))
        builder.download_and_prepare()

    features = builder.info.features
    keys = builder.info.supervised_keys
    image_key, label_key = "image", "label"
    if isinstance(keys, tuple) and len(keys) == 2:
        if all(isinstance(key, str) for key in keys):
            image_key, label_key = keys
    if image_key not in features or not isinstance(features[image_key], tfds.features.Image):
        raise DatasetError(
            f"Dataset {builder.name!r} has no image feature {image_key!r} "
            f"(its features are {list(features)}); ganzoo loads image "
            f"datasets only."
        )
    if with_labels and label_key not in features:
        raise DatasetError(
            f"Dataset {builder.name!r} has no {label_key!r} feature, so it "
            f"cannot be loaded with_labels=True. Use with_labels=False."
        )
    image_feature = features[image_key]
    height, width, stored_channels = image_feature.shape
    if (height is None or width is None) and size is None:
        raise DatasetError(
            f"Images of {builder.name!r} have different sizes, so they cannot "
            f"be batched as they are. Pass image_size, e.g. image_size=64."
        )
    if image_feature.np_dtype != np.uint8:
        raise DatasetError(
            f"Images of {builder.name!r} are {image_feature.np_dtype}, but "
            f"ganzoo reads uint8 tfds images only."
        )

    dataset = builder.as_dataset(
        split=split,
        shuffle_files=shuffle,
        read_config=tfds.ReadConfig(shuffle_seed=seed),
    )
    if with_labels:
        dataset = dataset.map(
            lambda example: (
                example[image_key],
                tf.cast(example[label_key], tf.int32),
            ),
            num_parallel_calls=tf.data.AUTOTUNE,
        )
    else:
        dataset = dataset.map(
            lambda example: example[image_key],
            num_parallel_calls=tf.data.AUTOTUNE,
        )
    class_names = None
    if label_key in features and hasattr(features[label_key], "names"):
        class_names = list(features[label_key].names)
    count = int(dataset.cardinality())
    buffer = min(count, _MAX_SHUFFLE_BUFFER) if count > 0 else 1000
    return dataset, stored_channels, class_names, buffer


def _from_folder(path, size, channels, with_labels, shuffle, seed):
    if with_labels:
        class_names = sorted(entry.name for entry in os.scandir(path) if entry.is_dir())
        files, labels = [], []
        for label, class_name in enumerate(class_names):
            class_files = _image_files(os.path.join(path, class_name))
            files += class_files
            labels += [label] * len(class_files)
        if not class_names:
            raise DatasetError(
                f"Folder {path!r} has no subfolders, so its images have no "
                f"labels. With with_labels=True, put each class's images in "
                f"its own subfolder (e.g. {path}/cats, {path}/dogs), or use "
                f"with_labels=False."
            )
    else:
        class_names = None
        files = _image_files(path)
        labels = [0] * len(files)
    if not files:
        raise DatasetError(
            f"Folder {path!r} holds no images (looked for "
            f"{', '.join(IMAGE_EXTENSIONS)} files"
            f"{' in its subfolders' if with_labels else ', recursively'}). "
            f"Point load() at the folder that holds the images."
        )

    # The first file in sorted order sets the defaults, whatever the seed.
    first = tf.io.decode_image(tf.io.read_file(files[0]), channels=0, expand_animations=False)
    if channels is None:
        channels = 1 if first.shape[-1] in (1, 2) else 3
    check_size = size is None
    if check_size:
        size = tuple(first.shape[:2])
    first_file = files[0]

    # Files are listed class by class; one random order up front lets the
    # bounded shuffle window below mix classes well.
    order = np.arange(len(files))
    if shuffle:
        order = np.random.default_rng(seed).permutation(len(files))
    files = np.asarray(files)[order]
    labels = np.asarray(labels, dtype=np.int32)[order]

    def read(file):
        # channels=3 decodes every format (gif and bmp refuse channels=1);
        # _transform turns gray stored as RGB back into the same gray values.
        image = tf.io.decode_image(tf.io.read_file(file), channels=3, expand_animations=False)
        if check_size:
            check = tf.debugging.assert_equal(
                tf.shape(image)[:2],
                tf.constant(size, tf.int32),
                message=(
                    f"Images in {path!r} have different sizes (the first, "
                    f"{first_file}, is {size[0]}x{size[1]}). Pass image_size "
                    f"to resize them all."
                ),
            )
            with tf.control_dependencies([check]):
                image = tf.identity(image)
        image = _transform(image, None if check_size else size, 3, channels)
        return tf.ensure_shape(image, (*size, channels))

    dataset = tf.data.Dataset.from_tensor_slices((files, labels))
    if with_labels:
        dataset = dataset.map(
            lambda file, label: (read(file), label),
            num_parallel_calls=tf.data.AUTOTUNE,
        )
    else:
        dataset = dataset.map(lambda file, label: read(file), num_parallel_calls=tf.data.AUTOTUNE)
    buffer = min(len(files), _MAX_SHUFFLE_BUFFER)
    return dataset, channels, class_names, buffer


def _image_files(folder):
    found = []
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        found += [
            os.path.join(root, name)
            for name in sorted(names)
            if name.lower().endswith(IMAGE_EXTENSIONS)
        ]
    return found


def _from_arrays(source, with_labels):
    labels = None
    if isinstance(source, tuple):
        if len(source) != 2:
            raise DatasetError(
                f"Expected arrays as `images` or `(images, labels)`, got a "
                f"tuple of length {len(source)}."
            )
        images, labels = np.asarray(source[0]), np.asarray(source[1])
    else:
        images = np.asarray(source)
    if with_labels and labels is None:
        raise DatasetError(
            "with_labels=True needs labels: pass `(images, labels)` instead of `images`."
        )

    if images.ndim == 3:
        images = images[..., np.newaxis]
    if images.ndim != 4 or 0 in images.shape[:3]:
        raise DatasetError(
            f"Expected images of shape (N, H, W, C) or (N, H, W) with N, H, W > 0, "
            f"got shape {images.shape}."
        )
    if images.shape[-1] not in (1, 2, 3, 4):
        raise DatasetError(
            f"Expected images with 1 to 4 channels last, (N, H, W, C), got "
            f"shape {images.shape}. For channels-first images (N, C, H, W), "
            f"pass images.transpose(0, 2, 3, 1)."
        )
    if images.dtype == np.uint8:
        pass
    elif np.issubdtype(images.dtype, np.integer):
        if images.min() < 0 or images.max() > 255:
            raise DatasetError(
                f"Integer images must be in [0, 255], got values in "
                f"[{images.min()}, {images.max()}]."
            )
        images = images.astype(np.uint8)
    elif np.issubdtype(images.dtype, np.floating):
        if not np.all(np.isfinite(images)):
            raise DatasetError("Float images contain NaN or infinite values.")
        low, high = float(images.min()), float(images.max())
        if low < -1.0 or high > 1.0:
            raise DatasetError(
                f"Float images must already be in [-1, 1], got values in "
                f"[{low:g}, {high:g}]. Pass uint8 images in [0, 255] to have "
                f"them scaled, or scale them yourself: x / 127.5 - 1 for "
                f"[0, 255], x * 2 - 1 for [0, 1]."
            )
        images = images.astype(np.float32)
    else:
        raise DatasetError(
            f"Expected uint8 images in [0, 255] or float images in [-1, 1], "
            f"got dtype {images.dtype}."
        )

    if with_labels:
        if labels.ndim == 2 and labels.shape[1] == 1:
            labels = labels[:, 0]
        if labels.ndim != 1 or len(labels) != len(images):
            raise DatasetError(
                f"Expected one integer label per image, shape "
                f"({len(images)},), got labels of shape {labels.shape}."
            )
        if not np.issubdtype(labels.dtype, np.integer):
            raise DatasetError(
                f"Expected integer class labels, got dtype {labels.dtype}. "
                f"Convert them, e.g. labels.astype('int32'), or one-hot "
                f"labels with labels.argmax(-1)."
            )
        dataset = tf.data.Dataset.from_tensor_slices((images, labels.astype(np.int32)))
    else:
        dataset = tf.data.Dataset.from_tensor_slices(images)
    # In-memory arrays may be sorted by class, so shuffle all of them.
    return dataset, images.shape[-1], len(images)


def _normalize_image_size(image_size):
    if image_size is None:
        return None
    if isinstance(image_size, (int, np.integer)):
        image_size = (image_size, image_size)
    size = tuple(image_size)
    if len(size) != 2 or not all(isinstance(side, (int, np.integer)) and side > 0 for side in size):
        raise DatasetError(
            f"image_size must be a positive int or (height, width), got {image_size!r}."
        )
    return tuple(int(side) for side in size)


def _transform(image, size, stored_channels, channels):
    """Resizes to `size` and converts to `channels`; uint8 stays uint8."""
    convert = channels is not None and channels != stored_channels
    if size is None and not convert:
        return image
    dtype = image.dtype
    image = tf.cast(image, tf.float32)
    if convert:
        if stored_channels in (2, 4):  # Drop the alpha channel.
            stored_channels -= 1
            image = image[..., :stored_channels]
        if channels == 3 and stored_channels == 1:
            image = tf.image.grayscale_to_rgb(image)
        elif channels == 1 and stored_channels == 3:
            image = tf.image.rgb_to_grayscale(image)
    if size is not None:
        image = tf.image.resize(image, size, antialias=True)
    if dtype == tf.uint8:
        return tf.saturate_cast(tf.round(image), tf.uint8)
    return tf.cast(image, dtype)


def _resize_and_convert(dataset, size, stored_channels, channels, with_labels):
    """Maps `_transform` over the images when their shape has to change."""
    element = dataset.element_spec[0] if with_labels else dataset.element_spec
    if size == tuple(element.shape[:2]):
        size = None
    if size is None and channels in (None, stored_channels):
        return dataset

    def transform(image):
        return _transform(image, size, stored_channels, channels)

    return _map_images(dataset, transform, with_labels)


def _scale(images):
    if images.dtype == tf.uint8:
        return tf.cast(images, tf.float32) / 127.5 - 1.0
    return tf.cast(images, tf.float32)


def _map_images(dataset, function, with_labels):
    if with_labels:

        def on_images(images, labels):
            return function(images), labels

        return dataset.map(on_images, num_parallel_calls=tf.data.AUTOTUNE)
    return dataset.map(function, num_parallel_calls=tf.data.AUTOTUNE)


# --------------------------------------------------------------------------------------
# 2-D Gaussian mixtures: the mode-collapse testbed of VEEGAN and PacGAN.


class Mixture(NamedTuple):
    """An equal-weight mixture of isotropic Gaussians: `means` `(num_modes, 2)` and `std`."""

    means: np.ndarray
    std: float


def _ring_means(num_modes, radius=1.0):
    angles = 2 * np.pi * np.arange(num_modes) / num_modes
    return radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)


def _grid_means(coordinates):
    return np.array([(x, y) for x in coordinates for y in coordinates], dtype=np.float64)


# Srivastava et al., "VEEGAN: Reducing Mode Collapse in GANs using Implicit Variational
# Learning", arXiv 1705.07761, Section 5.1, and Lin et al., "PacGAN: The power of two samples
# in generative adversarial networks", arXiv 1712.04086, Section 4.1 (whose code sets these
# means and standard deviations).
MIXTURES = {
    # 8 modes on the unit circle, at angles 2 pi i / 8.
    "ring8": Mixture(_ring_means(8), 0.01),
    # 25 modes at (i, j) for i, j in {-4, -2, 0, 2, 4}.
    "grid25": Mixture(_grid_means((-4.0, -2.0, 0.0, 2.0, 4.0)), 0.05),
}


def get_mixture(name):
    """Returns the `Mixture` called `name` (a key of `MIXTURES`)."""
    if name not in MIXTURES:
        raise DatasetError(f"Unknown mixture {name!r}. Available mixtures: {', '.join(MIXTURES)}.")
    return MIXTURES[name]


def sample_mixture(name, num_samples, seed=None):
    """Draws points from a 2-D Gaussian mixture of `MIXTURES`, every mode equally likely.

    Each point is `mu_k + std * e` with the mode k uniform over the mixture's modes and
    e ~ N(0, I_2).

    Args:
        name: "ring8" (8 modes on the unit circle, std 0.01) or "grid25" (a 5 x 5 grid
            of modes 2 apart, std 0.05).
        num_samples: how many points.
        seed: an int for reproducible points, or None.

    Returns:
        A float32 array of shape `(num_samples, 2)`.

    Example:
    ```python
    points = ganzoo.datasets.sample_mixture("ring8", 100_000, seed=0)
    gan.fit(points, batch_size=100, epochs=1)
    ```
    """
    mixture = get_mixture(name)
    if not isinstance(num_samples, (int, np.integer)) or num_samples < 1:
        raise DatasetError(f"num_samples must be a positive integer, got {num_samples!r}.")
    rng = np.random.default_rng(seed)
    modes = rng.integers(len(mixture.means), size=num_samples)
    noise = rng.standard_normal((num_samples, mixture.means.shape[1]))
    return (mixture.means[modes] + mixture.std * noise).astype(np.float32)
