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
