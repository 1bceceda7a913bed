import numpy as np
import pytest

from ganzoo import metrics


def test_matched_accuracy_finds_the_permutation():
    labels = np.array([0, 0, 1, 1, 2, 2])
    # Categories 2, 0, 1 stand for labels 0, 1, 2; one example is wrong.
    predicted = np.array([2, 2, 0, 0, 1, 0])
    accuracy, mapping = metrics.matched_accuracy(predicted, labels)
    assert accuracy == pytest.approx(5 / 6)
    assert mapping == {0: 1, 1: 2, 2: 0}


def test_matched_accuracy_is_one_to_one():
    # Everything in one category: only one label can be matched to it.
    accuracy, _ = metrics.matched_accuracy(np.zeros(4), np.array([0, 0, 1, 1]))
    assert accuracy == pytest.approx(0.5)


def test_matched_accuracy_rejects_bad_input():
    with pytest.raises(ValueError, match="as many predictions as labels"):
        metrics.matched_accuracy([0, 1], [0])
    with pytest.raises(ValueError, match="non-negative"):
        metrics.matched_accuracy([-1, 1], [0, 1])


# --------------------------------------------------------------------------------------
# Frechet distance.


def _random_covariance(rng, dimension):
    factor = rng.normal(size=(dimension, dimension))
    return factor @ factor.T / dimension + 0.1 * np.eye(dimension)


def _trace_sqrt_product(sigma1, sigma2):
    """Tr(sqrt(sigma1 sigma2)) = sum sqrt(eig(A sigma2 A)) with A = sigma1^(1/2) (symmetric)."""
    values, vectors = np.linalg.eigh(sigma1)
    root = (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T
    return np.sqrt(np.clip(np.linalg.eigvalsh(root @ sigma2 @ root), 0, None)).sum()


def _closed_form_frechet(mu1, sigma1, mu2, sigma2):
    return (
        np.sum((mu1 - mu2) ** 2)
        + np.trace(sigma1)
        + np.trace(sigma2)
        - 2 * _trace_sqrt_product(sigma1, sigma2)
    )


def test_frechet_distance_of_diagonal_gaussians():
    # Diagonal covariances commute: d^2 = |mu1 - mu2|^2 + sum (sqrt(a) - sqrt(b))^2.
    mu1, mu2 = np.array([0.0, 1.0, -2.0]), np.array([1.0, 1.0, 0.0])
    variances1, variances2 = np.array([1.0, 4.0, 9.0]), np.array([4.0, 1.0, 0.25])
    expected = 1 + 0 + 4 + (1 - 2) ** 2 + (2 - 1) ** 2 + (3 - 0.5) ** 2
    distance = metrics.frechet_distance(mu1, np.diag(variances1), mu2, np.diag(variances2))
    assert isinstance(distance, float)
    assert distance == pytest.approx(expected, rel=1e-10)


def test_frechet_distance_of_full_covariances_matches_eigendecomposition():
    rng = np.random.default_rng(1)
    mu1, mu2 = rng.normal(size=6), rng.normal(size=6)
    sigma1, sigma2 = _random_covariance(rng, 6), _random_covariance(rng, 6)
    expected = _closed_form_frechet(mu1, sigma1, mu2, sigma2)
    assert metrics.frechet_distance(mu1, sigma1, mu2, sigma2) == pytest.approx(expected, rel=1e-8)
    # Symmetric in its two Gaussians, zero between identical ones.
    assert metrics.frechet_distance(mu2, sigma2, mu1, sigma1) == pytest.approx(expected, rel=1e-8)
    assert metrics.frechet_distance(mu1, sigma1, mu1, sigma1) == pytest.approx(0, abs=1e-9)


def test_fid_from_features_approximates_the_closed_form():
    rng = np.random.default_rng(2)
    mu1, mu2 = np.zeros(3), np.array([1.0, 0.0, -0.5])
    sigma1, sigma2 = _random_covariance(rng, 3), _random_covariance(rng, 3)
    real = rng.multivariate_normal(mu1, sigma1, size=20000)
    fake = rng.multivariate_normal(mu2, sigma2, size=20000)
    expected = _closed_form_frechet(mu1, sigma1, mu2, sigma2)
    assert metrics.fid_from_features(real, fake) == pytest.approx(expected, rel=0.05)
    assert metrics.fid_from_features(real, real) == pytest.approx(0, abs=1e-9)
    mu, sigma = metrics.feature_statistics(real)
    assert mu.shape == (3,) and sigma.shape == (3, 3) and sigma.dtype == np.float64
    np.testing.assert_allclose(sigma, np.cov(real.T))


def test_fid_handles_rank_deficient_features():
    # Fewer samples than features: singular covariances, the usual case for small FID runs.
    rng = np.random.default_rng(3)
    real, fake = rng.normal(size=(10, 40)), rng.normal(size=(12, 40)) + 1.0
    mu1, sigma1 = metrics.feature_statistics(real)
    mu2, sigma2 = metrics.feature_statistics(fake)
    expected = _closed_form_frechet(mu1, sigma1, mu2, sigma2)
    assert metrics.fid_from_features(real, fake) == pytest.approx(expected, rel=1e-6)
    # Constant features: zero covariances, only the means differ.
    constant = metrics.fid_from_features(np.ones((5, 3)), np.zeros((5, 3)))
    assert constant == pytest.approx(3.0)


def test_frechet_distance_retries_with_an_offset_when_the_root_fails(monkeypatch):
    from scipy import linalg

    sqrtm, calls = linalg.sqrtm, []

    def failing_once(matrix):
        calls.append(matrix)
        return np.full_like(matrix, np.nan) if len(calls) == 1 else sqrtm(matrix)

    monkeypatch.setattr(linalg, "sqrtm", failing_once)
    rng = np.random.default_rng(4)
    sigma1, sigma2 = _random_covariance(rng, 4), _random_covariance(rng, 4)
    distance = metrics.frechet_distance(np.zeros(4), sigma1, np.ones(4), sigma2, eps=1e-6)
    assert len(calls) == 2
    np.testing.assert_allclose(calls[1], (sigma1 + 1e-6 * np.eye(4)) @ (sigma2 + 1e-6 * np.eye(4)))
    expected = _closed_form_frechet(np.zeros(4), sigma1, np.ones(4), sigma2)
    assert distance == pytest.approx(expected, abs=1e-4)


def test_frechet_distance_rejects_bad_input():
    with pytest.raises(ValueError, match="not positive semi-definite"):
        metrics.frechet_distance(np.zeros(2), np.diag([-1.0, 1.0]), np.zeros(2), np.eye(2))
    with pytest.raises(ValueError, match=r"shape \(d, d\)"):
        metrics.frechet_distance(np.zeros(3), np.eye(2), np.zeros(3), np.eye(3))
    with pytest.raises(ValueError, match="different dimensions"):
        metrics.frechet_distance(np.zeros(2), np.eye(2), np.zeros(3), np.eye(3))
    with pytest.raises(ValueError, match="same number of features"):
        metrics.fid_from_features(np.zeros((4, 2)), np.zeros((4, 3)))
    with pytest.raises(ValueError, match="num_samples, num_features"):
        metrics.fid_from_features(np.zeros(4), np.zeros(4))
    with pytest.raises(ValueError, match="at least two samples"):
        metrics.feature_statistics(np.zeros((1, 3)))
    with pytest.raises(ValueError, match="NaN"):
        metrics.feature_statistics(np.array([[0.0, np.nan], [1.0, 2.0]]))


# --------------------------------------------------------------------------------------
# Kernel Inception Distance.


def test_kid_by_hand():
    # d = 1, k(x, y) = (x y + 1)^3. Within real: k(0, 1) = 1; within fake: k(1, 2) = 27;
    # across: k(0, 1) = k(0, 2) = 1, k(1, 1) = 8, k(1, 2) = 27, mean 37 / 4.
    # MMD^2_u = 2 / 2 + 54 / 2 - 2 * 37 / 4 = 9.5, whatever the order of the subset.
    mean, std = metrics.kernel_inception_distance([[0.0], [1.0]], [[1.0], [2.0]], num_subsets=5)
    assert mean == pytest.approx(9.5)
    assert std == pytest.approx(0.0, abs=1e-12)


def test_kid_is_near_zero_for_one_distribution_and_grows_with_the_shift():
    rng = np.random.default_rng(5)
    real = rng.normal(size=(400, 8))
    kid = {}
    for shift in (0.0, 0.5, 1.0):
        fake = rng.normal(size=(400, 8)) + shift
        kid[shift] = metrics.kernel_inception_distance(
            real, fake, num_subsets=20, subset_size=200, seed=0
        )
    mean, std = kid[0.0]
    assert abs(mean) < 3 * std
    assert kid[0.5][0] > kid[0.0][0] + 3 * kid[0.5][1]
    assert kid[1.0][0] > kid[0.5][0] + 3 * kid[1.0][1]
    # Same seed, same subsets, same answer; subset_size is capped by the sample sizes.
    assert metrics.kernel_inception_distance(real, fake, 3, 10_000, seed=7) == (
        metrics.kernel_inception_distance(real, fake, 3, 10_000, seed=7)
    )


def test_kid_is_unbiased():
    # Averaged over many independent draws from one distribution, the unbiased estimate is
    # ~0; the biased (V-statistic) estimate, which keeps the diagonals, is clearly positive.
    rng = np.random.default_rng(6)
    size, dimension = 10, 4
    unbiased, biased = [], []
    for _ in range(400):
        real, fake = rng.normal(size=(2, size, dimension))
        unbiased.append(
            metrics.kernel_inception_distance(real, fake, num_subsets=1, subset_size=size)[0]
        )

        def kernel(x, y):
            return (x @ y.T / dimension + 1) ** 3

        biased.append(
            kernel(real, real).mean() + kernel(fake, fake).mean() - 2 * kernel(real, fake).mean()
        )
    standard_error = np.std(unbiased) / np.sqrt(len(unbiased))
    assert abs(np.mean(unbiased)) < 4 * standard_error
    assert np.mean(biased) > 10 * standard_error


def test_kid_rejects_bad_input():
    with pytest.raises(ValueError, match="at least two samples"):
        metrics.kernel_inception_distance(np.zeros((1, 2)), np.zeros((5, 2)))
    with pytest.raises(ValueError, match="num_subsets"):
        metrics.kernel_inception_distance(np.zeros((5, 2)), np.zeros((5, 2)), num_subsets=0)
    with pytest.raises(ValueError, match="same number of features"):
        metrics.kernel_inception_distance(np.zeros((5, 2)), np.zeros((5, 3)))


# --------------------------------------------------------------------------------------
# Precision, recall, density, coverage.

# 1-D sets small enough to check by hand; no point lies on a ball's boundary.
REAL_1D = np.array([[0.0], [1.0], [3.2]])
FAKE_1D = np.array([[4.5], [6.0], [10.0], [20.0]])


@pytest.mark.parametrize(
    "k, expected",
    [
        # k = 1. Real radii 1, 1, 2.2: manifold [-1, 5.4] holds fake 4.5 only. Fake radii
        # 1.5, 1.5, 4, 10: balls [3, 6], [4.5, 7.5], [6, 14], [10, 30] hold real 3.2 only.
        (1, (1 / 4, 1 / 3)),
        # k = 2. Real radii 3.2, 2.2, 3.2: manifold [-3.2, 6.4] holds fakes 4.5 and 6. Fake
        # radii 5.5, 4, 5.5, 14: ball [-1, 10] around 4.5 holds every real sample.
        (2, (1 / 2, 1.0)),
    ],
)
def test_precision_recall_by_hand(k, expected):
    assert metrics.precision_recall(REAL_1D, FAKE_1D, k=k) == pytest.approx(expected)


def test_precision_recall_ignore_rotation_and_translation():
    # The same 1-D sets laid along a diagonal of 3-D space, far from the origin.
    direction = np.array([2.0, -1.0, 2.0]) / 3.0
    offset = np.array([100.0, -50.0, 7.0])
    real, fake = REAL_1D * direction + offset, FAKE_1D * direction + offset
    assert metrics.precision_recall(real, fake, k=1) == pytest.approx((1 / 4, 1 / 3))


def test_precision_recall_of_identical_and_disjoint_sets():
    rng = np.random.default_rng(7)
    real = rng.normal(size=(50, 4))
    assert metrics.precision_recall(real, real) == (1.0, 1.0)
    assert metrics.precision_recall(real, real + 100.0) == (0.0, 0.0)


REAL_DENSITY = np.array([[0.0], [1.0], [3.2], [50.0], [51.0]])
FAKE_DENSITY = np.array([[0.5], [1.9], [10.0]])


@pytest.mark.parametrize(
    "k, expected",
    [
        # k = 1. Radii 1, 1, 2.2, 1, 1. Fake 0.5 lies in the balls of 0 and 1, fake 1.9 in
        # those of 1 and 3.2, fake 10 in none: density 4 / (1 * 3). Reals 50 and 51 have no
        # fake within 1: coverage 3 / 5.
        (1, (4 / 3, 3 / 5)),
        # k = 2. Radii 3.2, 2.2, 3.2, 46.8, 47.8. Fakes 0.5 and 1.9 lie in three balls each,
        # fake 10 in those of 50 and 51: density 8 / (2 * 3). Every ball holds a fake.
        (2, (4 / 3, 1.0)),
    ],
)
def test_density_coverage_by_hand(k, expected):
    assert metrics.density_coverage(REAL_DENSITY, FAKE_DENSITY, k=k) == pytest.approx(expected)


def test_density_coverage_of_identical_and_disjoint_sets():
    rng = np.random.default_rng(8)
    real = rng.normal(size=(60, 3))
    density, coverage = metrics.density_coverage(real, real)
    assert coverage == 1.0 and density >= 1 / 5  # each fake is at least in its own ball
    assert metrics.density_coverage(real, real + 100.0) == (0.0, 0.0)


def _brute_force_radii(features, k):
    distances = np.linalg.norm(features[:, None] - features[None], axis=-1)
    return np.sort(distances, axis=1)[:, k]


def test_blocked_distances_match_brute_force(monkeypatch):
    # Blocks of 7 rows, so sets of 30 and 23 samples span several blocks with a remainder.
    monkeypatch.setattr(metrics, "_BLOCK_ROWS", 7)
    rng = np.random.default_rng(9)
    real, fake = rng.normal(size=(30, 5)), rng.normal(size=(23, 5)) + 0.3
    k = 3
    real_radii, fake_radii = _brute_force_radii(real, k), _brute_force_radii(fake, k)
    across = np.linalg.norm(real[:, None] - fake[None], axis=-1)
    precision = (across <= real_radii[:, None]).any(axis=0).mean()
    recall = (across <= fake_radii[None, :]).any(axis=1).mean()
    assert metrics.precision_recall(real, fake, k=k) == pytest.approx((precision, recall))
    density = (across <= real_radii[:, None]).sum() / (k * len(fake))
    coverage = (across.min(axis=1) <= real_radii).mean()
    assert metrics.density_coverage(real, fake, k=k) == pytest.approx((density, coverage))


def test_neighbour_metrics_reject_bad_input():
    with pytest.raises(ValueError, match="more than 3 `real` samples"):
        metrics.precision_recall(np.zeros((3, 2)), np.zeros((10, 2)), k=3)
    with pytest.raises(ValueError, match="more than 3 `fake` samples"):
        metrics.precision_recall(np.zeros((10, 2)), np.zeros((3, 2)), k=3)
    with pytest.raises(ValueError, match="more than 5 `real` samples"):
        metrics.density_coverage(np.zeros((5, 2)), np.zeros((10, 2)))
    with pytest.raises(ValueError, match="positive integer"):
        metrics.density_coverage(np.zeros((5, 2)), np.zeros((10, 2)), k=0)
    with pytest.raises(ValueError, match="num_samples, num_features"):
        metrics.precision_recall(np.zeros((4, 2, 2)), np.zeros((4, 2, 2)))


# --------------------------------------------------------------------------------------
# Classifier metrics.


def test_classifier_score_bounds():
    # Confident predictions spread evenly over C classes score C; identical ones score 1.
    confident = np.eye(4)[np.arange(12) % 4]
    assert metrics.classifier_score(confident) == pytest.approx(4.0)
    assert metrics.classifier_score(np.tile([0.1, 0.2, 0.7], (5, 1))) == pytest.approx(1.0)
    assert metrics.classifier_score(np.tile([1.0, 0.0], (5, 1))) == pytest.approx(1.0)


def test_classifier_score_by_hand():
    # p(y) = [0.75, 0.25]; KL of [1, 0] is log(4/3), of [0.5, 0.5] is 0.5 log(4/3).
    score = metrics.classifier_score([[1.0, 0.0], [0.5, 0.5]])
    assert score == pytest.approx((4 / 3) ** 0.75)


def test_classifier_score_rejects_logits():
    with pytest.raises(ValueError, match="apply a softmax"):
        metrics.classifier_score([[2.0, -1.0], [0.5, 0.3]])
    with pytest.raises(ValueError, match="num_samples, num_classes"):
        metrics.classifier_score([0.5, 0.5])


def test_class_coverage_counts_classes():
    entropy, covered = metrics.class_coverage([0, 0, 1, 1, 2, 2], num_classes=4)
    assert entropy == pytest.approx(np.log(3)) and covered == 3
    # Probabilities are reduced to their argmax.
    entropy, covered = metrics.class_coverage(np.eye(4)[[3, 3, 3]], num_classes=4)
    assert entropy == 0.0 and covered == 1
    # A class predicted for 1% of samples is not covered at a 1.5% threshold; 2% is.
    predictions = [0] * 97 + [1] * 2 + [2]
    assert metrics.class_coverage(predictions, 3)[1] == 3
    assert metrics.class_coverage(predictions, 3, min_share=0.015)[1] == 2


def test_class_coverage_rejects_bad_input():
    with pytest.raises(ValueError, match="Check `num_classes`"):
        metrics.class_coverage([0, 1, 5], num_classes=3)
    with pytest.raises(ValueError, match="4 columns but num_classes = 3"):
        metrics.class_coverage(np.eye(4), num_classes=3)
    with pytest.raises(ValueError, match="integer labels"):
        metrics.class_coverage([0.5, 1.0], num_classes=3)


def test_label_accuracy():
    assert metrics.label_accuracy([0, 1, 2, 2], [0, 1, 1, 2]) == pytest.approx(0.75)
    probabilities = np.eye(3)[[0, 1, 2, 2]] * 0.8 + 0.2 / 3
    assert metrics.label_accuracy(probabilities, [0, 1, 1, 2]) == pytest.approx(0.75)
    with pytest.raises(ValueError, match="one prediction per requested label"):
        metrics.label_accuracy([0, 1], [0, 1, 2])


# --------------------------------------------------------------------------------------
# Mode statistics of a Gaussian mixture.

# Four modes on the corners of a square, std 0.5: high quality means closer than 1.5.
SQUARE = np.array([[0.0, 0.0], [4.0, 0.0], [0.0, 4.0], [4.0, 4.0]])


def test_mode_statistics_of_two_modes_out_of_eight():
    ring = np.stack([np.cos(np.arange(8) * np.pi / 4), np.sin(np.arange(8) * np.pi / 4)], axis=1)
    samples = np.repeat(ring[[1, 5]], 3, axis=0) + 0.005
    stats = metrics.mode_statistics(samples, ring, std=0.01)
    assert stats["modes_covered"] == 2
    assert stats["high_quality"] == 1.0
    # p = (1/2, 1/2) on 2 of 8 modes: KL = 2 * 1/2 * log(8 * 1/2) = log 4.
    assert stats["reverse_kl"] == pytest.approx(np.log(4))
    assert stats["counts"] == [0, 3, 0, 0, 0, 3, 0, 0]


def test_mode_statistics_by_hand():
    # Three good samples on mode 0, one on mode 1, two far from every mode (the second is
    # nearest to mode 3 but 2 away from it).
    samples = [[0.1, 0.0], [0.0, -1.0], [0.5, 0.5], [4.0, 1.0], [2.0, 2.0], [6.0, 4.0]]
    stats = metrics.mode_statistics(samples, SQUARE, std=0.5)
    assert stats["counts"] == [3, 1, 0, 0]
    assert stats["modes_covered"] == 2
    assert stats["high_quality"] == pytest.approx(4 / 6)
    # p = (3/4, 1/4, 0, 0): KL = 3/4 log(4 * 3/4) + 1/4 log(4 * 1/4) = 3/4 log 3.
    assert stats["reverse_kl"] == pytest.approx(0.75 * np.log(3))
    assert isinstance(stats["modes_covered"], int) and isinstance(stats["reverse_kl"], float)


def test_mode_statistics_of_an_even_spread_is_zero_kl():
    stats = metrics.mode_statistics(np.repeat(SQUARE, 2, axis=0), SQUARE, std=0.5)
    assert stats == {"modes_covered": 4, "high_quality": 1.0, "reverse_kl": 0.0, "counts": [2] * 4}


def test_mode_statistics_threshold_is_strict():
    # 1.5 = 3 * 0.5 exactly: on the boundary is not high quality, just inside is.
    on_boundary = metrics.mode_statistics([[1.5, 0.0]], SQUARE, std=0.5)
    assert on_boundary["high_quality"] == 0.0 and on_boundary["modes_covered"] == 0
    inside = metrics.mode_statistics([[1.49, 0.0], [0.0, -1.5]], SQUARE, std=0.5)
    assert inside["counts"] == [1, 0, 0, 0] and inside["high_quality"] == 0.5
    wider = metrics.mode_statistics([[1.5, 0.0]], SQUARE, std=0.5, threshold=4.0)
    assert wider["counts"] == [1, 0, 0, 0]


def test_mode_statistics_without_good_samples_reports_the_worst_kl():
    stats = metrics.mode_statistics([[2.0, 2.0], [10.0, 10.0]], SQUARE, std=0.5)
    assert stats["modes_covered"] == 0 and stats["high_quality"] == 0.0
    assert stats["counts"] == [0, 0, 0, 0]
    # As if every sample sat on one mode: log K.
    assert stats["reverse_kl"] == pytest.approx(np.log(4))


def test_mode_statistics_breaks_ties_towards_the_first_mode():
    stats = metrics.mode_statistics([[2.0, 0.0]], SQUARE, std=1.0)
    assert stats["counts"] == [1, 0, 0, 0]


def test_mode_statistics_rejects_bad_input():
    with pytest.raises(ValueError, match=r"`samples` of shape \(num_samples, dim\)"):
        metrics.mode_statistics([1.0, 2.0], SQUARE, std=0.5)
    with pytest.raises(ValueError, match=r"`samples` of shape"):
        metrics.mode_statistics(np.zeros((0, 2)), SQUARE, std=0.5)
    with pytest.raises(ValueError, match=r"`means` of shape \(num_modes, dim\)"):
        metrics.mode_statistics(np.zeros((3, 2)), [0.0, 1.0], std=0.5)
    with pytest.raises(ValueError, match="3 dimensions but `means` have 2"):
        metrics.mode_statistics(np.zeros((3, 3)), SQUARE, std=0.5)
    with pytest.raises(ValueError, match="NaN"):
        metrics.mode_statistics([[np.nan, 0.0]], SQUARE, std=0.5)
    for std in (0.0, -1.0, np.nan, [0.5, 0.5], "wide"):
        with pytest.raises(ValueError, match="`std` to be a positive number"):
            metrics.mode_statistics(np.zeros((3, 2)), SQUARE, std=std)
    with pytest.raises(ValueError, match="`threshold` to be a positive number"):
        metrics.mode_statistics(np.zeros((3, 2)), SQUARE, std=0.5, threshold=0)
