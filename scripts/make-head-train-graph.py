"""The head's training steps as one TensorFlow graph, for speed (docs/colour-model.md).

Saves a SavedModel with one signature, `train_chunk`: S steps of model/head-step.ts (standardise,
dense-ReLU, dropout by a given keep-mask, dense into the members' block-diagonal output kernel,
each member's softmax cross-entropy) and model/adam.ts' update, with AdamW-style weight decay,
inside one while loop. It holds no variables: the weights and Adam's moments go in and come
out with each chunk of batches, so any number of rows, members, classes and any batch size runs
through it. model/head.ts draws the order, the targets
and the dropout masks, so a seed gives the same head either way. Run with TensorFlow installed:

    python scripts/make-head-train-graph.py
"""
import os

import tensorflow as tf

from train_graph import save, spec, split_state, state_outputs, state_specs

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
OUT = os.path.join(ROOT, 'resources', 'graphs', 'head-train')
NAMES = ['w1', 'b1', 'w2', 'b2']
SHAPES = {'w1': [None, None], 'b1': [None], 'w2': [None, None], 'b2': [None]}
BETA1, BETA2, EPSILON = 0.9, 0.999, 1e-7  # model/adam.ts
# What model/head.ts checks before it uses the graph.
STEP = 'head-step-v2'


SIGNATURE = (
    state_specs(NAMES, SHAPES)
    + [spec('t', []), spec('xs', [None, None, None]), spec('mean', [None]), spec('inv_std', [None]),
       spec('targets', [None, None, None]),
       spec('masks', [None, None, None]), spec('block_mask', [None, None]), spec('members', [], tf.int32),
       spec('rates', [None]), spec('weight_decay', [])]
)


@tf.function(input_signature=SIGNATURE)
def train_chunk(*args):
    w0, m0, v0, rest = split_state(args, NAMES)
    t0, xs, mean, inv_std, targets, masks, block_mask, members, rates, wd = rest
    steps = tf.shape(xs)[0]

    def body(i, w, m, v, logits_out):
        w1, b1, w2, b2 = w
        z = (xs[i] - mean) * inv_std
        batch = tf.shape(z)[0]
        out = tf.shape(b2)[0]
        with tf.GradientTape() as tape:
            tape.watch(w)
            h = tf.nn.relu(tf.matmul(z, w1) + b1) * masks[i]
            logits = tf.matmul(h, w2) + b2
            per_member = tf.reshape(logits, [batch * members, out // members])
            target = tf.reshape(targets[i], [batch * members, out // members])
            loss = tf.reduce_sum(-target * tf.nn.log_softmax(per_member)) / tf.cast(batch * members, tf.float32)
        grads = tape.gradient(loss, w)
        grads[2] = grads[2] * block_mask
        t = t0 + tf.cast(i, tf.float32) + 1
        c1 = 1 - tf.pow(BETA1, t)
        c2 = tf.sqrt(1 - tf.pow(BETA2, t))
        size = rates[i] * c2 / c1
        eps = EPSILON * c2
        nw, nm, nv = [], [], []
        for j, (wi, mi, vi, g) in enumerate(zip(w, m, v, grads)):
            mi = mi + (g - mi) * (1 - BETA1)
            vi = vi + (g * g - vi) * (1 - BETA2)
            wi = wi - mi * size / (tf.sqrt(vi) + eps)
            if j in (0, 2):
                wi = wi * (1 - rates[i] * wd)
            nw.append(wi)
            nm.append(mi)
            nv.append(vi)
        return i + 1, nw, nm, nv, logits_out.write(i, logits)

    logits_out = tf.TensorArray(tf.float32, size=steps)
    _, w, m, v, logits_out = tf.while_loop(lambda i, *_: i < steps, body, (0, w0, m0, v0, logits_out))
    out = state_outputs(NAMES, w, m, v)
    out['logits'] = logits_out.stack()
    return out


def main():
    save(train_chunk, OUT, {'step': STEP, 'names': NAMES})


if __name__ == '__main__':
    main()
