"""How good is a generator: metrics on generated images and codes.

The distribution metrics (`fid_from_features`, `kernel_inception_distance`,
`precision_recall`, `density_coverage`) are pure functions of feature arrays of shape
`(num_samples, num_features)`, e.g. Inception-v3 pool features of real and generated images;
they compute in float64. The classifier metrics (`classifier_score`, `class_coverage`,
`label_accuracy`) take a classifier's softmax probabilities or predicted labels.
`mode_statistics` scores samples of a known Gaussian mixture (the 2-D testbed of
`ganzoo.testbed`).
"""

import warnings

import numpy as np
from scipy import linalg
from scipy.optimize import linear_sum_assignment

# Rows of the query set per block of pairwise distances: a block holds
# `_BLOCK_ROWS * num_references` float64 values (80 MB for 10,000 references), never the
# full distance matrix nor a `(rows, references, features)` difference tensor.
_BLOCK_ROWS = 1000


def matched_accuracy(predicted, labels):
    """Accuracy of cluster indices against class labels under the best one-to-one matching.

    An unsupervised code (InfoGAN's categorical code, a clustering) numbers its categories
    arbitrarily; the Hungarian algorithm finds the assignment of categories to labels that
    maximizes the number of agreements (Kuhn 1955), and the accuracy is counted under it.
    This is how InfoGAN (Chen et al. 2016, arXiv 1606.03657, Section 7.1) reports its 5%
    MNIST error.

    Args:
        predicted: integer category per example.
        labels: integer class per example.

    Returns:
        `(accuracy, mapping)`: the fraction of examples whose matched category equals the
        label, and a dict from category to label.
    """
    predicted = np.asarray(predicted).astype(int).ravel()
    labels = np.asarray(labels).astype(int).ravel()
    if predicted.shape != labels.shape or predicted.size == 0:
        raise ValueError(
            f"Expected as many predictions as labels (at least one), got {predicted.size} "
            f"predictions and {labels.size} labels."
        )
    if predicted.min() < 0 or labels.min() < 0:
        raise ValueError("Categories and labels must be non-negative integers.")
    size = max(predicted.max(), labels.max()) + 1
    counts = np.zeros((size, size), dtype=np.int64)
    np.add.at(counts, (predicted, labels), 1)
    categories, matched = linear_sum_assignment(counts, maximize=True)
    accuracy = counts[categories, matched].sum() / predicted.size
    return float(accuracy), dict(zip(categories.tolist(), matched.tolist()))


def code_accuracy(gan, dataset="mnist", split="test", data_dir=None, batch_size=1000):
    """InfoGAN's first categorical code used as a classifier of real labelled images.

    Q predicts the code of each real image; `matched_accuracy` matches the code's categories
    to the labels. The paper reports 5% error on MNIST (Chen et al., arXiv 1606.03657,
    Section 7.1).

    Args:
        gan: a model with `predict_codes` (an `InfoGAN`).
        dataset: what `ganzoo.datasets.load` accepts, with labels.
        split, data_dir: passed to `ganzoo.datasets.load`.

    Returns:
        A dict: `accuracy`, `error`, `mapping` (category -> label) and `num_images`.
    """
    from ganzoo import datasets

    data = datasets.load(
        dataset,
        split=split,
        batch_size=batch_size,
        with_labels=True,
        data_dir=data_dir,
        shuffle=False,
        drop_remainder=False,
    )
    predicted, labels = [], []
    for images, batch_labels in data:
        predicted.append(gan.predict_codes(images, batch_size=batch_size)["categorical"][:, 0])
        labels.append(np.asarray(batch_labels))
    accuracy, mapping = matched_accuracy(np.concatenate(predicted), np.concatenate(labels))
    return {
        "accuracy": accuracy,
        "error": 1.0 - accuracy,
        "mapping": mapping,
        "num_images": int(sum(len(batch) for batch in labels)),
    }


# --------------------------------------------------------------------------------------
# Input checks shared by the distribution metrics.


def _as_features(features, name):
    """`features` as a finite float64 array of shape (num_samples, num_features)."""
    array = np.asarray(features, dtype=np.float64)
    if array.ndim != 2 or array.shape[0] == 0 or array.shape[1] == 0:
        raise ValueError(
            f"Expected `{name}` of shape (num_samples, num_features) with at least one of "
            f"each, got shape {array.shape}. Flatten or pool each sample's features into "
            f"one row."
        )
    if not np.isfinite(array).all():
        raise ValueError(
            f"`{name}` contains NaN or infinite values; check the feature extractor's input."
        )
    return array


def _as_feature_pair(real, fake):
    real = _as_features(real, "real")
    fake = _as_features(fake, "fake")
    if real.shape[1] != fake.shape[1]:
        raise ValueError(
            f"`real` and `fake` must have the same number of features, got {real.shape[1]} "
            f"and {fake.shape[1]}. Extract both with the same network and layer."
        )
    return real, fake


def _check_neighbours(k, features, name):
    if not isinstance(k, (int, np.integer)) or isinstance(k, bool) or k < 1:
        raise ValueError(f"Expected the neighbour count `k` to be a positive integer, got {k!r}.")
    if k >= len(features):
        raise ValueError(
            f"`k` = {k} needs more than {k} `{name}` samples to find each one's k-th nearest "
            f"neighbour, got {len(features)}. Pass more samples or a smaller `k`."
        )


# --------------------------------------------------------------------------------------
# Frechet distance.


def feature_statistics(features):
    """Mean and covariance of features, the Gaussian that the Frechet distance compares.

    `mu = mean(features, axis=0)` and `sigma = cov(features)` with the unbiased `1 / (n - 1)`
    normalization, both float64 (Heusel et al. 2017, "GANs Trained by a Two Time-Scale
    Update Rule Converge to a Local Nash Equilibrium", arXiv 1706.08500).

    Args:
        features: array of shape `(num_samples, num_features)`, at least two samples.

    Returns:
        `(mu, sigma)` of shapes `(num_features,)` and `(num_features, num_features)`.
    """
    features = _as_features(features, "features")
    if len(features) < 2:
        raise ValueError(
            f"A covariance needs at least two samples, got {len(features)}. Pass more samples."
        )
    return features.mean(axis=0), np.cov(features, rowvar=False).reshape(
        features.shape[1], features.shape[1]
    )


def _check_statistics(mu, sigma, name):
    mu = np.asarray(mu, dtype=np.float64)
    sigma = np.asarray(sigma, dtype=np.float64)
    if mu.ndim != 1 or sigma.shape != (mu.size, mu.size):
        raise ValueError(
            f"Expected `mu{name}` of shape (d,) and `sigma{name}` of shape (d, d), got "
            f"{mu.shape} and {sigma.shape}. `feature_statistics` returns such a pair."
        )
    if not (np.isfinite(mu).all() and np.isfinite(sigma).all()):
        raise ValueError(f"`mu{name}` or `sigma{name}` contains NaN or infinite values.")
    return mu, sigma


def _sqrtm(matrix):
    # Covariances from fewer samples than features are singular; scipy warns about every
    # such product, while the residual test in `frechet_distance` judges the result itself.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", linalg.LinAlgWarning)
        return linalg.sqrtm(matrix)


def _sqrtm_residual(root, matrix):
    """Relative error `||root @ root - matrix||_F / ||matrix||_F` of a matrix square root."""
    scale = max(np.linalg.norm(matrix), np.finfo(np.float64).tiny)
    return np.linalg.norm(root @ root - matrix) / scale


def frechet_distance(mu1, sigma1, mu2, sigma2, eps=1e-6):
    """Frechet (2-Wasserstein) distance between two Gaussians, the distance behind FID.

    `d^2 = ||mu1 - mu2||^2 + Tr(sigma1 + sigma2 - 2 sqrt(sigma1 sigma2))`
    (Dowson & Landau 1982; used as FID by Heusel et al. 2017, "GANs Trained by a Two
    Time-Scale Update Rule Converge to a Local Nash Equilibrium", arXiv 1706.08500).

    The matrix square root is taken in float64 with `scipy.linalg.sqrtm`. When the product
    is near-singular (the root is not finite, or squares back to the product with relative
    error above 1e-6), `eps * I` is added to both covariances and the root taken again, the
    fix of the authors' TTUR code; this changes the distance by about `eps * Tr`-sized
    amounts. Rounding gives the root of a product of covariances a tiny imaginary part,
    which is dropped; a large one (above 1e-3 of the largest diagonal entry) means a
    covariance is not positive semi-definite and raises.

    Args:
        mu1, sigma1: mean `(d,)` and covariance `(d, d)` of one set of features.
        mu2, sigma2: the same for the other set.
        eps: the diagonal offset used only when the product is near-singular.

    Returns:
        The squared Frechet distance as a float (FID reports this squared value).
    """
    mu1, sigma1 = _check_statistics(mu1, sigma1, "1")
    mu2, sigma2 = _check_statistics(mu2, sigma2, "2")
    if mu1.size != mu2.size:
        raise ValueError(
            f"The two Gaussians have different dimensions, {mu1.size} and {mu2.size}. "
            f"Compute both statistics from the same network and layer."
        )
    product = sigma1 @ sigma2
    root = _sqrtm(product)
    if not np.isfinite(root).all() or _sqrtm_residual(root, product) > 1e-6:
        offset = eps * np.eye(mu1.size)
        root = _sqrtm((sigma1 + offset) @ (sigma2 + offset))
        if not np.isfinite(root).all():
            raise ValueError(
                "The square root of sigma1 @ sigma2 is not finite even after adding "
                f"eps * I (eps = {eps}) to both covariances. Pass a larger `eps` or check "
                "the features for degenerate columns."
            )
    if np.iscomplexobj(root):
        diagonal = np.diagonal(root)
        imaginary = np.abs(diagonal.imag).max()
        if imaginary > 1e-3 * max(1.0, np.abs(diagonal.real).max()):
            raise ValueError(
                f"sqrt(sigma1 @ sigma2) has a large imaginary part ({imaginary:.3g} on its "
                "diagonal), so a covariance is not positive semi-definite. Pass covariances "
                "from `feature_statistics` (float64, symmetric) rather than hand-made ones."
            )
        root = root.real
    difference = mu1 - mu2
    trace = np.trace(sigma1) + np.trace(sigma2) - 2 * np.trace(root)
    return float(difference @ difference + trace)


def fid_from_features(real, fake, eps=1e-6):
    """Frechet Inception Distance between two sets of features.

    `FID = ||mu_r - mu_f||^2 + Tr(S_r + S_f - 2 sqrt(S_r S_f))` with the means and
    covariances of `feature_statistics` (Heusel et al. 2017, arXiv 1706.08500). FID is
    biased upwards for small samples; the paper uses 50,000 generated images, and values
    are comparable only at equal sample sizes and with the same feature network.

    Args:
        real, fake: arrays of shape `(num_samples, num_features)`.
        eps: see `frechet_distance`.

    Returns:
        The FID as a float.
    """
    real, fake = _as_feature_pair(real, fake)
    return frechet_distance(*feature_statistics(real), *feature_statistics(fake), eps=eps)


# --------------------------------------------------------------------------------------
# Kernel Inception Distance.


def _cubic_kernel(x, y):
    """`k(x, y) = (x . y / d + 1)^3` for all pairs of rows."""
    gram = x @ y.T
    gram /= x.shape[1]
    gram += 1.0
    return gram**3


def kernel_inception_distance(real, fake, num_subsets=100, subset_size=1000, seed=0):
    """Kernel Inception Distance: unbiased MMD^2 with a cubic polynomial kernel.

    With `k(x, y) = (x . y / d + 1)^3` and `m` real samples `x` and `m` fake samples `y`,
    `MMD^2_u = sum_{i != j} k(x_i, x_j) / (m (m - 1)) + sum_{i != j} k(y_i, y_j) / (m (m - 1))
    - 2 sum_{i, j} k(x_i, y_j) / m^2`, whose expectation is exactly the squared MMD, zero
    when the two distributions are equal (so single estimates can be negative). Following
    Binkowski et al. 2018 ("Demystifying MMD GANs", arXiv 1801.01401), the estimate is
    averaged over `num_subsets` random subsets of `m = min(subset_size, num_real,
    num_fake)` samples of each set, drawn without replacement within a subset.

    Args:
        real, fake: arrays of shape `(num_samples, num_features)`, at least two samples each.
        num_subsets: how many random subsets to average over.
        subset_size: samples per subset and set, capped by the sample sizes.
        seed: seed of the subset draws, so the same inputs give the same result.

    Returns:
        `(mean, std)`: the mean of the subset estimates and their standard deviation across
        subsets (the spread of one subset's estimate, as the authors report it; the standard
        error of the mean is smaller).
    """
    real, fake = _as_feature_pair(real, fake)
    if not isinstance(num_subsets, (int, np.integer)) or num_subsets < 1:
        raise ValueError(f"Expected `num_subsets` to be a positive integer, got {num_subsets!r}.")
    size = min(int(subset_size), len(real), len(fake))
    if size < 2:
        raise ValueError(
            f"The unbiased MMD needs subsets of at least two samples, got subset_size = "
            f"{subset_size} with {len(real)} real and {len(fake)} fake samples. Pass more "
            f"samples or a larger `subset_size`."
        )
    rng = np.random.default_rng(seed)
    pairs = size * (size - 1)
    estimates = np.empty(num_subsets)
    for index in range(num_subsets):
        x = real[rng.choice(len(real), size, replace=False)]
        y = fake[rng.choice(len(fake), size, replace=False)]
        kernel_xx = _cubic_kernel(x, x)
        kernel_yy = _cubic_kernel(y, y)
        within = (kernel_xx.sum() - np.trace(kernel_xx)) / pairs
        within += (kernel_yy.sum() - np.trace(kernel_yy)) / pairs
        estimates[index] = within - 2 * _cubic_kernel(x, y).mean()
    return float(estimates.mean()), float(estimates.std())


# --------------------------------------------------------------------------------------
# k-nearest-neighbour manifolds: precision, recall, density, coverage.


def _squared_distance_blocks(queries, references):
    """Yield `(rows, block)`: squared distances from `queries[rows]` to every reference.

    `||q - r||^2 = ||q||^2 + ||r||^2 - 2 q . r`, one block of `_BLOCK_ROWS` queries at a
    time, so memory stays at one `(_BLOCK_ROWS, num_references)` block.
    """
    reference_norms = np.einsum("ij,ij->i", references, references)
    for start in range(0, len(queries), _BLOCK_ROWS):
        rows = slice(start, min(start + _BLOCK_ROWS, len(queries)))
        block_queries = queries[rows]
        block = block_queries @ references.T
        block *= -2.0
        block += np.einsum("ij,ij->i", block_queries, block_queries)[:, None]
        block += reference_norms[None, :]
        np.maximum(block, 0.0, out=block)
        yield rows, block


def _squared_neighbour_radii(features, k):
    """Squared distance from each sample to its k-th nearest other sample in the same set."""
    radii = np.empty(len(features))
    for rows, block in _squared_distance_blocks(features, features):
        # Each sample is its own nearest point at distance 0 (set exactly, not by rounding),
        # so the k-th nearest other sample is the (k + 1)-th smallest entry of its row.
        block[np.arange(block.shape[0]), np.arange(rows.start, rows.stop)] = 0.0
        radii[rows] = np.partition(block, k, axis=1)[:, k]
    return radii


def _centered(real, fake):
    # Distances are unchanged by a common shift; centering reduces the cancellation in
    # ||q||^2 + ||r||^2 - 2 q . r when features sit far from the origin.
    center = real.mean(axis=0)
    return real - center, fake - center


def precision_recall(real, fake, k=3):
    """Improved precision and recall of Kynkaanniemi et al. 2019.

    Each set's manifold is the union of balls around its samples, each ball's radius the
    distance to that sample's k-th nearest neighbour in the same set. With
    `f(phi, Phi) = 1 if ||phi - phi'|| <= NND_k(phi') for some phi' in Phi`:
    `precision = mean_{fake} f(fake, Phi_real)` (how many fakes look real) and
    `recall = mean_{real} f(real, Phi_fake)` (how much of the real data the generator
    covers). Kynkaanniemi, Karras, Laine, Lehtinen, Aila, "Improved Precision and Recall
    Metric for Assessing Generative Models", arXiv 1904.06991; the paper uses k = 3 on
    VGG-16 features of 50,000 samples per set. Balls are closed (`<=`), as in the paper.

    Args:
        real, fake: arrays of shape `(num_samples, num_features)`, each with more than `k`
            samples.
        k: the neighbour that sets each ball's radius.

    Returns:
        `(precision, recall)`, floats in [0, 1].
    """
    real, fake = _centered(*_as_feature_pair(real, fake))
    _check_neighbours(k, real, "real")
    _check_neighbours(k, fake, "fake")
    real_radii = _squared_neighbour_radii(real, k)
    fake_radii = _squared_neighbour_radii(fake, k)
    fake_in_real = np.zeros(len(fake), dtype=bool)
    real_in_fake = np.empty(len(real), dtype=bool)
    for rows, block in _squared_distance_blocks(real, fake):
        real_in_fake[rows] = (block <= fake_radii[None, :]).any(axis=1)
        fake_in_real |= (block <= real_radii[rows, None]).any(axis=0)
    return float(fake_in_real.mean()), float(real_in_fake.mean())


def density_coverage(real, fake, k=5):
    """Density and coverage of Naeem et al. 2020, from balls around the real samples only.

    With `B(x_i)` the closed ball around real sample `x_i` whose radius is the distance to
    its k-th nearest real neighbour, `N` real and `M` fake samples:
    `density = 1 / (k M) sum_j sum_i 1[y_j in B(x_i)]` (how many real neighbourhoods each
    fake falls in, relative to k; 1 on average for matching distributions and above 1 where
    fakes crowd dense regions) and `coverage = 1 / N sum_i 1[some y_j in B(x_i)]` (the share
    of real neighbourhoods that hold a fake). Naeem, Oh, Uh, Choi, Yoo, "Reliable Fidelity
    and Diversity Metrics for Generative Models", arXiv 2002.09797, which recommends k = 5.
    Balls are closed (`<=`); the authors' code uses open balls, which differs only on ties.

    Args:
        real: array of shape `(num_samples, num_features)` with more than `k` samples.
        fake: array with the same number of features.
        k: the neighbour that sets each ball's radius.

    Returns:
        `(density, coverage)`: density is >= 0 and unbounded, coverage is in [0, 1].
    """
    real, fake = _centered(*_as_feature_pair(real, fake))
    _check_neighbours(k, real, "real")
    radii = _squared_neighbour_radii(real, k)
    balls_per_fake = np.zeros(len(fake))
    nearest_fake = np.empty(len(real))
    for rows, block in _squared_distance_blocks(real, fake):
        balls_per_fake += (block <= radii[rows, None]).sum(axis=0)
        nearest_fake[rows] = block.min(axis=1)
    density = balls_per_fake.sum() / (k * len(fake))
    coverage = (nearest_fake <= radii).mean()
    return float(density), float(coverage)


# --------------------------------------------------------------------------------------
# Metrics from a classifier's outputs.


def _as_probabilities(probabilities, name="probabilities"):
    array = np.asarray(probabilities, dtype=np.float64)
    if array.ndim != 2 or array.shape[0] == 0 or array.shape[1] == 0:
        raise ValueError(
            f"Expected `{name}` of shape (num_samples, num_classes), got shape {array.shape}."
        )
    if not np.isfinite(array).all():
        raise ValueError(f"`{name}` contains NaN or infinite values.")
    if (array < 0).any():
        raise ValueError(
            f"`{name}` has negative entries, so these look like logits: apply a softmax first."
        )
    sums = array.sum(axis=1)
    if not np.allclose(sums, 1.0, atol=1e-3):
        worst = sums[np.argmax(np.abs(sums - 1.0))]
        raise ValueError(
            f"Each row of `{name}` must sum to 1, found a row summing to {worst:.4g}. "
            f"These look like logits or scores: apply a softmax first."
        )
    return array / sums[:, None]


def _as_labels(labels_or_probabilities, name, num_classes=None):
    """Integer labels from labels `(n,)` or class probabilities `(n, num_classes)`."""
    array = np.asarray(labels_or_probabilities)
    if array.ndim == 2:
        if num_classes is not None and array.shape[1] != num_classes:
            raise ValueError(
                f"`{name}` has {array.shape[1]} columns but num_classes = {num_classes}."
            )
        return np.argmax(array, axis=1)
    if array.ndim != 1:
        raise ValueError(
            f"Expected `{name}` as labels of shape (num_samples,) or probabilities of shape "
            f"(num_samples, num_classes), got shape {array.shape}."
        )
    if array.size and not np.array_equal(array, np.round(array)):
        raise ValueError(f"`{name}` of shape (num_samples,) must hold integer labels.")
    return array.astype(np.int64)


def classifier_score(probabilities):
    """Inception-Score-style classifier score: `exp(E_x[KL(p(y|x) || p(y))])`.

    `p(y|x)` are the classifier's probabilities per generated sample and `p(y)` their mean
    over the samples. The score is high when each sample is classified confidently and the
    classes are used evenly: between 1 (every sample gets the same distribution) and
    `num_classes` (confident, uniformly spread predictions). Salimans et al. 2016,
    "Improved Techniques for Training GANs", arXiv 1606.03498, with Inception-v3 as the
    classifier; the paper averages over 10 splits of 5,000 samples, this returns the score
    of all the samples given (split them yourself to match).

    Args:
        probabilities: softmax outputs, shape `(num_samples, num_classes)`.

    Returns:
        The score as a float.
    """
    conditional = _as_probabilities(probabilities)
    marginal = conditional.mean(axis=0)
    # 0 log 0 = 0; where p(y|x) > 0, p(y) > 0 too, so the logarithms are finite.
    positive = conditional > 0
    log_ratio = np.zeros_like(conditional)
    log_ratio[positive] = np.log(conditional[positive]) - np.log(
        np.broadcast_to(marginal, conditional.shape)[positive]
    )
    divergence = (conditional * log_ratio).sum(axis=1)
    return float(np.exp(divergence.mean()))


def class_coverage(probabilities_or_predictions, num_classes, min_share=0.0):
    """How evenly generated samples spread over classes: a mode-collapse check.

    From the predicted class of each sample (the argmax of probabilities, or the labels
    given), with `share_c` the fraction of samples predicted as class `c`:
    `entropy = -sum_c share_c log share_c` (in nats, at most `log(num_classes)` when every
    class is predicted equally often, 0 when only one is), and the number of classes whose
    share is positive and at least `min_share`.

    Args:
        probabilities_or_predictions: class probabilities `(num_samples, num_classes)` or
            integer predictions `(num_samples,)`.
        num_classes: the number of classes the classifier knows.
        min_share: a class counts as covered only if it gets at least this fraction of the
            samples; 0 counts every class predicted at least once.

    Returns:
        `(entropy, num_covered)`: a float and an int.
    """
    if not isinstance(num_classes, (int, np.integer)) or num_classes < 1:
        raise ValueError(f"Expected `num_classes` to be a positive integer, got {num_classes!r}.")
    if not 0.0 <= min_share <= 1.0:
        raise ValueError(f"Expected `min_share` in [0, 1], got {min_share}.")
    predictions = _as_labels(
        probabilities_or_predictions, "probabilities_or_predictions", num_classes
    )
    if predictions.size == 0:
        raise ValueError("Expected at least one prediction, got none.")
    if predictions.min() < 0 or predictions.max() >= num_classes:
        raise ValueError(
            f"Predictions must lie in [0, {num_classes}), got values from {predictions.min()} "
            f"to {predictions.max()}. Check `num_classes`."
        )
    shares = np.bincount(predictions, minlength=num_classes) / predictions.size
    used = shares[shares > 0]
    entropy = float((used * np.log(1.0 / used)).sum())
    return entropy, int(((shares > 0) & (shares >= min_share)).sum())


def label_accuracy(predicted, requested):
    """Share of conditionally generated samples classified as the label they were asked for.

    `accuracy = mean_i 1[argmax_c p(c | G(z_i, y_i)) = y_i]` for a conditional generator
    (e.g. a CGAN, Mirza & Osindero 2014, arXiv 1411.1784) and a classifier trained on real
    data; the "classification accuracy" used for conditional GANs by, e.g., Odena et al.
    2017 (AC-GAN), arXiv 1610.09585.

    Args:
        predicted: the classifier's labels `(num_samples,)` or probabilities
            `(num_samples, num_classes)` for the generated samples.
        requested: the labels given to the generator, `(num_samples,)` or one-hot
            `(num_samples, num_classes)`.

    Returns:
        The accuracy as a float in [0, 1].
    """
    predicted = _as_labels(predicted, "predicted")
    requested = _as_labels(requested, "requested")
    if predicted.shape != requested.shape or predicted.size == 0:
        raise ValueError(
            f"Expected one prediction per requested label (at least one), got "
            f"{predicted.size} predictions and {requested.size} requested labels."
        )
    return float((predicted == requested).mean())


# --------------------------------------------------------------------------------------
# Mode statistics of a known Gaussian mixture.


def _positive_number(value, name):
    try:
        number = float(value) if np.ndim(value) == 0 else None
    except (TypeError, ValueError):
        number = None
    if number is None or not np.isfinite(number) or number <= 0:
        raise ValueError(f"Expected `{name}` to be a positive number, got {value!r}.")
    return number


def mode_statistics(samples, means, std, threshold=3.0):
    """Mode coverage and sample quality of generated points against a Gaussian mixture.

    The mixture has K modes with means `mu_k` and a common isotropic standard deviation
    `std`, each mode equally likely. Each sample `x` is assigned to its nearest mode
    `k(x) = argmin_k ||x - mu_k||` (the first one on a tie) and is "high quality" when
    `||x - mu_k(x)|| < threshold * std`. With `n_k` the number of high-quality samples
    assigned to mode k and N the number of samples:

    - `modes_covered = #{k : n_k > 0}`;
    - `high_quality = sum_k n_k / N`;
    - `reverse_kl = KL(p || u) = sum_k p_k log(K p_k) = log K - H(p)`, where
      `p_k = n_k / sum_j n_j` and u is uniform over the modes (modes with `p_k = 0` add 0).
      It is 0 when the high-quality samples spread evenly over all modes and log(K / m)
      when they spread evenly over m of them. When no sample is high quality p is undefined;
      the worst case, log K (everything on one mode), is reported, so that a generator that
      misses every mode never scores better than one that finds one.

    Papers: Srivastava, Valkov, Russell, Gutmann, Sutton, "VEEGAN: Reducing Mode Collapse in
    GANs using Implicit Variational Learning", arXiv 1705.07761, Section 5.1 (modes covered
    and high-quality samples within 3 standard deviations, on 2,500 samples); Lin, Khetan,
    Fanti, Oh, "PacGAN: The power of two samples in generative adversarial networks",
    arXiv 1712.04086, Section 4.1 (adds the reverse KL divergence).

    Args:
        samples: generated points, shape `(num_samples, dim)`.
        means: the modes' means, shape `(num_modes, dim)`.
        std: the modes' common standard deviation, a positive number.
        threshold: a sample is high quality within `threshold * std` of its nearest mode.

    Returns:
        A dict: `modes_covered` (int), `high_quality` (float in [0, 1]), `reverse_kl`
        (float in [0, log K]) and `counts` (list of K ints, the high-quality samples per
        mode).

    Example:
    ```python
    mixture = ganzoo.datasets.MIXTURES["ring8"]
    stats = ganzoo.metrics.mode_statistics(gan.generate(2500, seed=0), *mixture)
    ```
    """
    samples = np.asarray(samples, dtype=np.float64)
    means = np.asarray(means, dtype=np.float64)
    if samples.ndim != 2 or samples.shape[0] == 0 or samples.shape[1] == 0:
        raise ValueError(
            f"Expected `samples` of shape (num_samples, dim) with at least one sample, got "
            f"shape {samples.shape}."
        )
    if means.ndim != 2 or means.shape[0] == 0:
        raise ValueError(
            f"Expected `means` of shape (num_modes, dim) with at least one mode, got shape "
            f"{means.shape}."
        )
    if samples.shape[1] != means.shape[1]:
        raise ValueError(
            f"`samples` have {samples.shape[1]} dimensions but `means` have "
            f"{means.shape[1]}: pass points of the mixture's space."
        )
    if not (np.isfinite(samples).all() and np.isfinite(means).all()):
        raise ValueError("`samples` or `means` contain NaN or infinite values.")
    std = _positive_number(std, "std")
    threshold = _positive_number(threshold, "threshold")
    num_modes = len(means)
    # One mode at a time keeps memory at O(num_samples), whatever the number of modes.
    nearest = np.zeros(len(samples), dtype=np.int64)
    nearest_squared = np.full(len(samples), np.inf)
    for mode, mean in enumerate(means):
        squared = ((samples - mean) ** 2).sum(axis=1)
        closer = squared < nearest_squared
        nearest[closer] = mode
        nearest_squared[closer] = squared[closer]
    good = np.sqrt(nearest_squared) < threshold * std
    counts = np.bincount(nearest[good], minlength=num_modes)
    total = counts.sum()
    if total == 0:
        reverse_kl = float(np.log(num_modes))
    else:
        shares = counts[counts > 0] / total
        reverse_kl = float((shares * np.log(num_modes * shares)).sum())
    return {
        "modes_covered": int((counts > 0).sum()),
        "high_quality": float(total / len(samples)),
        "reverse_kl": reverse_kl,
        "counts": counts.tolist(),
    }
