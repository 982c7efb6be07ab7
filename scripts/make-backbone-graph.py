"""The shipped backbone as a TensorFlow SavedModel, for speed (docs/colour-model.md).

Rebuilds Keras' MobileNetV2 (alpha 0.35) at any input size, loads the weights of the shipped
tfjs model (resources/backbones/mobilenet-v2-0.35-imagenet/weights.bin) by their Keras names, and
saves one signature: x [n, 128, 128, 3] scaled to [-1, 1] -> features [n, 1696], the mean over
space of out_relu and of the four taps of BACKBONE_TAPS, averaged over the image, its mirror
image, and both resized to each size of BACKBONE_SCALES: the rows model/backbone.ts computes
with tfjs layers, run as one graph (TensorFlow fuses the batch norms into the convolutions),
about twice as fast. Run with TensorFlow installed:

    python scripts/make-backbone-graph.py
"""
import hashlib
import json
import os
import sys

import numpy as np
import tensorflow as tf

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
SRC = os.path.join(ROOT, 'resources', 'backbones', 'mobilenet-v2-0.35-imagenet')
OUT = os.path.join(SRC, 'graph-128')
SIZE = 128
SCALES = [144]
TAPS = ['block_13_expand_relu', 'block_14_add', 'block_15_add', 'block_16_project_BN']


def shipped_weights():
    manifest = json.load(open(os.path.join(SRC, 'model.json')))['weightsManifest'][0]
    raw = open(os.path.join(SRC, manifest['paths'][0]), 'rb').read()
    out, off = {}, 0
    for w in manifest['weights']:
        n = int(np.prod(w['shape']))
        out[w['name']] = np.frombuffer(raw, dtype='<f4', count=n, offset=off).reshape(w['shape'])
        off += 4 * n
    assert off == len(raw), f'{off} bytes of weights described, {len(raw)} in the file'
    return out


def main():
    weights = shipped_weights()
    base = tf.keras.applications.MobileNetV2(
        input_shape=(None, None, 3), alpha=0.35, include_top=False, weights=None)
    used = set()
    for layer in base.layers:
        for var in layer.weights:
            name = f'{layer.name}/{var.name.split("/")[-1].split(":")[0]}'
            if isinstance(layer, tf.keras.layers.DepthwiseConv2D) and name.endswith('/kernel'):
                name = name[: -len('kernel')] + 'depthwise_kernel'  # Keras 2's name, as tfjs saved it
            if name not in weights:
                sys.exit(f'no shipped weight for {name}')
            var.assign(weights[name])
            used.add(name)
    unused = set(weights) - used
    if unused:
        sys.exit(f'shipped weights not used: {sorted(unused)[:5]}')
    outs = [base.get_layer('out_relu').output] + [base.get_layer(t).output for t in TAPS]
    net = tf.keras.Model(base.input, outs)
    x = tf.keras.Input((SIZE, SIZE, 3), name='x')

    def rows(image):
        pooled = [tf.keras.layers.GlobalAveragePooling2D()(t) for t in net(image)]
        return tf.keras.layers.Concatenate()(pooled)

    def mirror(t):
        return tf.keras.layers.Lambda(lambda u: tf.reverse(u, axis=[2]))(t)

    def resized(t, s):
        # tf.image.resize is tfjs's resizeBilinear with half-pixel centres (model/backbone.ts).
        # Keras' Resizing layer is not: inside this graph its output fed the net other rows.
        return tf.keras.layers.Lambda(lambda u: tf.image.resize(u, [s, s], method='bilinear'))(t)

    views = [x] + [resized(x, s) for s in SCALES]
    features = tf.keras.layers.Average(name='features')(
        [rows(v) for v in views] + [rows(mirror(v)) for v in views])
    # Keras' own export: a serving_default signature whose variables restore on load.
    tf.keras.Model(x, features).export(OUT)
    # What the graph was made from: model/backbone.ts uses it only beside these very bytes.
    sha = hashlib.sha256(open(os.path.join(SRC, 'model.json'), 'rb').read())
    sha.update(open(os.path.join(SRC, 'weights.bin'), 'rb').read())
    dims = [int(t.shape[-1]) for t in outs]
    source = {'sha256': sha.hexdigest(), 'size': SIZE, 'taps': TAPS, 'mirror': True, 'scales': SCALES,
              'dims': dims,
              'tensorflow': tf.__version__}
    json.dump(source, open(os.path.join(OUT, 'source.json'), 'w'), indent=1)
    print(f'saved {OUT} (TensorFlow {tf.__version__})')


if __name__ == '__main__':
    main()
