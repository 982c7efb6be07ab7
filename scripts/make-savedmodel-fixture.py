"""Writes test/fixtures/savedmodel-tiny: a small TensorFlow SavedModel for the tests of
`unsure score --model <SavedModel>` (src/main/engine/model/user-model.ts), which Unsure
cannot produce itself (tfjs-node loads SavedModels but does not write them).

The model: image [n, 28, 28, 1] -> flatten -> dense 8 + ReLU ("features") -> dense 10
("logits"), seeded weights. Next to it, expected.json holds its outputs for three inputs
that the test rebuilds from a formula, so the test checks Unsure's numbers against
TensorFlow's own. Run with TensorFlow 2.x for Python:

    python3 scripts/make-savedmodel-fixture.py
"""
import json
import os

import numpy as np
import tensorflow as tf

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'savedmodel-tiny')
rng = np.random.default_rng(20261127)
w1 = tf.constant(rng.normal(0, 0.05, (784, 8)).astype(np.float32))
b1 = tf.constant(rng.normal(0, 0.1, (8,)).astype(np.float32))
w2 = tf.constant(rng.normal(0, 0.5, (8, 10)).astype(np.float32))
b2 = tf.constant(rng.normal(0, 0.1, (10,)).astype(np.float32))


class Tiny(tf.Module):
    @tf.function(input_signature=[tf.TensorSpec([None, 28, 28, 1], tf.float32, name='image')])
    def serve(self, image):
        x = tf.reshape(image, [-1, 784])
        features = tf.nn.relu(tf.matmul(x, w1) + b1)
        return {'features': features, 'logits': tf.matmul(features, w2) + b2}


def pattern(i):
    # Rebuilt by the test: pixel (r, c) of input i.
    r, c = np.meshgrid(np.arange(28), np.arange(28), indexing='ij')
    return (((i * 7 + r * 3 + c * 5) % 17) / 16.0).astype(np.float32).reshape(28, 28, 1)


model = Tiny()
tf.saved_model.save(model, OUT, signatures={'serving_default': model.serve})
x = np.stack([pattern(i) for i in range(3)])
out = model.serve(tf.constant(x))
with open(os.path.join(OUT, 'labels.txt'), 'w') as f:
    f.write('\n'.join(str(d) for d in range(10)) + '\n')
with open(os.path.join(OUT, 'expected.json'), 'w') as f:
    json.dump({k: np.round(v.numpy(), 6).tolist() for k, v in out.items()}, f)
print('wrote', os.path.abspath(OUT))
