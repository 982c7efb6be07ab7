"""The small CNN's training steps as one TensorFlow graph, for speed (docs/cnn-training.md).

Saves a SavedModel with one signature, `train_chunk`: S steps of model/cnn.ts' forwardTrain,
softmax cross-entropy with label smoothing, and Adam exactly as tf.train.adam of tfjs, inside
one while loop. It holds no variables: the weights and Adam's moments go in and come out, so
any number of classes and any batch size run through the same graph, and every call is
independent of every other. The batches (shifted copies cut in JS), the rate of each step and
each step's dropout seed are inputs, so model/train-graph.ts decides everything else. Run
with TensorFlow installed:

    python scripts/make-cnn-train-graph.py
"""
import os

import tensorflow as tf

from train_graph import save, spec, split_state, state_outputs, state_specs

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
OUT = os.path.join(ROOT, 'resources', 'graphs', 'cnn-train')
NAMES = ['conv1W', 'conv1B', 'conv2W', 'conv2B', 'fc1W', 'fc1B', 'fc2W', 'fc2B']
SHAPES = {'conv1W': [5, 5, 1, 32], 'conv1B': [32], 'conv2W': [3, 3, 32, 64], 'conv2B': [64],
          'fc1W': [3136, 128], 'fc1B': [128], 'fc2W': [128, None], 'fc2B': [None]}
BETA1, BETA2, EPSILON = 0.9, 0.999, 1e-7  # tfjs' tf.train.adam defaults (epsilon: float32's)
# The CNN of cnn.ts this graph computes; model/cnn-train-graph.ts refuses a graph of another.
ARCH = 'cnn-c32k5s2-c64k3s2-d128-v1'


def logits_of(w, x, rate, seed):
    h1 = tf.nn.relu(tf.nn.conv2d(x, w['conv1W'], 2, 'SAME') + w['conv1B'])
    h2 = tf.nn.relu(tf.nn.conv2d(h1, w['conv2W'], 2, 'SAME') + w['conv2B'])
    flat = tf.reshape(h2, [tf.shape(x)[0], 3136])
    feat = tf.nn.relu(tf.matmul(flat, w['fc1W']) + w['fc1B'])
    keep = tf.cast(tf.random.stateless_uniform(tf.shape(feat), seed) >= rate, tf.float32)
    dropped = tf.cond(rate > 0, lambda: feat * keep / (1 - rate), lambda: feat)
    return tf.matmul(dropped, w['fc2W']) + w['fc2B']


SIGNATURE = (
    state_specs(NAMES, SHAPES)
    + [spec('t', [], tf.float32), spec('xs', [None, None, 28, 28, 1]), spec('labels', [None, None], tf.int32),
       spec('rates', [None]), spec('seeds', [None, 2], tf.int32), spec('dropout', []), spec('smoothing', [])]
)


@tf.function(input_signature=SIGNATURE)
def train_chunk(*args):
    w0, m0, v0, rest = split_state(args, NAMES)
    t0, xs, labels, rates, seeds, rate, smoothing = rest
    classes = tf.shape(w0[NAMES.index('fc2W')])[1]
    steps = tf.shape(xs)[0]

    def body(i, w, m, v, losses, correct):
        y = tf.one_hot(labels[i], classes)
        target = y * (1 - smoothing) + smoothing / tf.cast(classes, tf.float32)
        with tf.GradientTape() as tape:
            tape.watch(w)
            logits = logits_of(dict(zip(NAMES, w)), xs[i], rate, seeds[i])
            loss = tf.reduce_mean(-tf.reduce_sum(target * tf.nn.log_softmax(logits), axis=1))
        grads = tape.gradient(loss, w)
        t = t0 + tf.cast(i, tf.float32) + 1
        step = rates[i]
        nw, nm, nv = [], [], []
        for wi, mi, vi, g in zip(w, m, v, grads):
            mi = BETA1 * mi + (1 - BETA1) * g
            vi = BETA2 * vi + (1 - BETA2) * g * g
            m_hat = mi / (1 - tf.pow(BETA1, t))
            v_hat = vi / (1 - tf.pow(BETA2, t))
            nw.append(wi - step * m_hat / (EPSILON + tf.sqrt(v_hat)))
            nm.append(mi)
            nv.append(vi)
        hit = tf.reduce_sum(tf.cast(tf.equal(tf.argmax(logits, 1, output_type=tf.int32), labels[i]), tf.float32))
        return i + 1, nw, nm, nv, losses.write(i, loss), correct.write(i, hit)

    losses = tf.TensorArray(tf.float32, size=steps)
    correct = tf.TensorArray(tf.float32, size=steps)
    _, w, m, v, losses, correct = tf.while_loop(
        lambda i, *_: i < steps, body, (0, w0, m0, v0, losses, correct))
    out = state_outputs(NAMES, w, m, v)
    out['losses'] = losses.stack()
    out['correct'] = correct.stack()
    return out


def main():
    save(train_chunk, OUT, {'arch': ARCH, 'names': NAMES})


if __name__ == '__main__':
    main()
