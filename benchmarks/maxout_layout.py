"""Forward and backward pass of `ganzoo.networks.Maxout` in its two layouts, on the CPU.

    python benchmarks/maxout_layout.py [--batch-size 64] [--units 256] [--pieces 5]

Times, in one `tf.function` of 20 passes, (a) the maximum alone over a (batch, units *
pieces) tensor grouped as each layout groups it, and (b) the whole layer (the joint affine
map from 784 inputs, then the maximum), both with their gradients; medians of 5 rounds,
the layouts alternating within each round. Prints microseconds per forward and backward
pass.
"""

import argparse
import statistics
import time

import tensorflow as tf

from ganzoo.networks import Maxout

PASSES = 20


def timed(step, calls=50):
    step()  # trace and warm up
    start = time.perf_counter()
    for _ in range(calls):
        step()
    return (time.perf_counter() - start) / (calls * PASSES) * 1e6


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--units", type=int, default=256)
    parser.add_argument("--pieces", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    batch, units, pieces = args.batch_size, args.units, args.pieces
    x = tf.random.normal((batch, 784), seed=0)
    h = tf.Variable(tf.random.normal((batch, units * pieces), seed=1))
    steps = {}
    for layout in Maxout.LAYOUTS:
        layer = Maxout(units, pieces, layout=layout)
        layer.build((None, 784))

        @tf.function
        def maximum(layer=layer):
            total = tf.zeros_like(h)  # every pass feeds the result, so none is pruned
            for _ in range(PASSES):
                with tf.GradientTape() as tape:
                    y = layer.maximum(h)
                total += tape.gradient(y, h, output_gradients=y)
            return total

        @tf.function
        def whole(layer=layer):
            total = tf.zeros_like(layer.dense.kernel)
            for _ in range(PASSES):
                with tf.GradientTape() as tape:
                    y = layer(x)
                total += tape.gradient(y, layer.dense.kernel, output_gradients=y)
            return total

        steps[(layout, "maximum")] = maximum
        steps[(layout, "layer")] = whole
    times = {key: [] for key in steps}
    for _ in range(args.rounds):
        for key, step in steps.items():
            times[key].append(timed(step))
    print(f"batch {batch}, {units} units x {pieces} pieces, 784 inputs; medians of {args.rounds}")
    for (layout, part), values in times.items():
        print(f"{layout:>12} {part:>7}: {statistics.median(values):8.1f} us per forward+backward")


if __name__ == "__main__":
    main()
