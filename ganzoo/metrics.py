"""How good is a generator: metrics on generated images and codes."""

import numpy as np
from scipy.optimize import linear_sum_assignment


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
