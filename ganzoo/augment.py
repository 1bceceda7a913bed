"""DiffAugment: differentiable augmentations of the images D sees, real and generated alike.

Zhao, Liu, Lin, Zhu and Han, "Differentiable Augmentation for Data-Efficient GAN Training",
arXiv 2006.10738. D sees T(x) and T(G(z)) for the same family of random transformations T,
in D's update and in G's; since T is differentiable, G's gradients pass through it. So D
cannot overfit a small dataset's exact images, and G is not taught to reproduce the
augmentations (which happens when only real images are augmented).

The transformations, each drawn independently for every image (images in [-1, 1], NHWC):

- "color": brightness (add u - 0.5), saturation (scale the distance to the image's channel
  mean by 2u), contrast (scale the distance to the image's mean by u + 0.5), u ~ U[0, 1).
- "translation": shift by up to 1/8 of the size in each direction, zeros filling the border.
- "cutout": zero a square of half the size at a random position (it may hang over the
  border).

`GAN(augment="color,translation,cutout")` applies them before every D call in training.
"""

import keras
import tensorflow as tf
from keras import ops

POLICIES = ("color", "translation", "cutout")


def check_policy(policy):
    """Returns a policy string in canonical form ("color,translation"), None for no policy, or
    raises a ValueError naming the unknown part."""
    if policy in (None, ""):
        return None
    parts = policy.split(",") if isinstance(policy, str) else list(policy)
    parts = [str(part).strip() for part in parts]
    unknown = [part for part in parts if part not in POLICIES]
    if unknown or not parts:
        raise ValueError(
            f"Unknown DiffAugment policy {policy!r}: use a comma-separated subset of "
            f"{', '.join(POLICIES)}, e.g. 'color,translation,cutout'."
        )
    return ",".join(parts)


def _draw(function, images, shape, replica, **options):
    # One random value of `shape` per image. With `replica=(index, count)` the values are
    # drawn for `count` batches like this one and batch `index` keeps its own: replicas
    # holding the same seed state get different transformations.
    n = ops.shape(images)[0]
    index, count = replica or (0, 1)
    values = function((n * count, *shape), **options)
    return values[index * n : (index + 1) * n]


def _uniform(images, seed, replica):
    return _draw(keras.random.uniform, images, (1, 1, 1), replica, dtype=images.dtype, seed=seed)


def adjust_color(images, seed=None, replica=None):
    """Random brightness, saturation and contrast, per image (DiffAugment's "color")."""
    images = images + (_uniform(images, seed, replica) - 0.5)
    mean = ops.mean(images, axis=-1, keepdims=True)
    images = (images - mean) * (_uniform(images, seed, replica) * 2.0) + mean
    mean = ops.mean(images, axis=(1, 2, 3), keepdims=True)
    return (images - mean) * (_uniform(images, seed, replica) + 0.5) + mean


def _randint(images, low, high, seed, replica):
    return _draw(keras.random.randint, images, (1,), replica, minval=low, maxval=high, seed=seed)


def translate(images, ratio=0.125, seed=None, replica=None):
    """Shifts each image by up to `ratio` of its height and width (rounded), filling with
    zeros (DiffAugment's "translation")."""
    height, width = images.shape[1], images.shape[2]
    dy, dx = int(height * ratio + 0.5), int(width * ratio + 0.5)
    padded = tf.pad(images, [[0, 0], [dy, dy], [dx, dx], [0, 0]])
    # Output pixel (i, j) reads padded pixel (i + dy - shift_y, j + dx - shift_x).
    rows = tf.range(height)[None, :] + dy - _randint(images, -dy, dy + 1, seed, replica)
    cols = tf.range(width)[None, :] + dx - _randint(images, -dx, dx + 1, seed, replica)
    shifted = tf.gather(padded, rows, axis=1, batch_dims=1)
    return tf.gather(shifted, cols, axis=2, batch_dims=1)


def cutout(images, ratio=0.5, seed=None, replica=None):
    """Zeros a square of `ratio` of the size at a random centre per image (DiffAugment's
    "cutout")."""
    height, width = images.shape[1], images.shape[2]
    cut_y, cut_x = int(height * ratio + 0.5), int(width * ratio + 0.5)
    # Top-left corners from -cut // 2 to size - cut // 2 (the square may leave the image).
    top = _randint(images, 0, height + (1 - cut_y % 2), seed, replica) - cut_y // 2
    left = _randint(images, 0, width + (1 - cut_x % 2), seed, replica) - cut_x // 2
    rows = tf.range(height)[None, :]
    cols = tf.range(width)[None, :]
    inside_rows = (rows >= top) & (rows < top + cut_y)  # (n, height)
    inside_cols = (cols >= left) & (cols < left + cut_x)  # (n, width)
    inside = inside_rows[:, :, None] & inside_cols[:, None, :]
    return images * tf.cast(~inside, images.dtype)[..., None]


_TRANSFORMS = {"color": adjust_color, "translation": translate, "cutout": cutout}


def diff_augment(images, policy="color,translation,cutout", seed=None, replica=None):
    """Applies a DiffAugment policy to a batch of images (NHWC, in [-1, 1]).

    Args:
        images: float tensor `(batch, height, width, channels)`.
        policy: comma-separated transformations in order: "color", "translation", "cutout".
        seed: a `keras.random.SeedGenerator` (needed inside `tf.function`), an integer, or
            None.
        replica: `(index, count)` under a distribution strategy, whose replicas hold the
            same seed state: the transformations are drawn for `count` batches and batch
            `index` gets its own, so that no two replicas transform alike. None: one batch.

    Returns:
        A tensor like `images`, differentiable with respect to `images`.
    """
    policy = check_policy(policy)
    if policy is None:
        return images
    for name in policy.split(","):
        images = _TRANSFORMS[name](images, seed=seed, replica=replica)
    return images
