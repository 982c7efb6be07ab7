"""What the training-graph scripts (make-cnn-train-graph.py, make-head-train-graph.py) share:
the state (weights and Adam's moments) as inputs and outputs by name, and the SavedModel they
write."""
import json
import os

import tensorflow as tf


def spec(name, shape, dtype=tf.float32):
    return tf.TensorSpec(shape, dtype, name=name)


def state_specs(names, shapes):
    """The weights, then Adam's first and second moments: w1, ..., m_w1, ..., v_w1, ..."""
    return ([spec(n, shapes[n]) for n in names] + [spec(f'm_{n}', shapes[n]) for n in names]
            + [spec(f'v_{n}', shapes[n]) for n in names])


def split_state(args, names):
    """train_chunk's arguments as (weights, first moments, second moments, the rest)."""
    k = len(names)
    return list(args[:k]), list(args[k:2 * k]), list(args[2 * k:3 * k]), args[3 * k:]


def state_outputs(names, w, m, v):
    """The weights and Adam's moments as named outputs: w1, m_w1, v_w1, ..."""
    out = {n: x for n, x in zip(names, w)}
    out.update({f'm_{n}': x for n, x in zip(names, m)})
    out.update({f'v_{n}': x for n, x in zip(names, v)})
    return out


def save(train_chunk, out_dir, source):
    """Saves `train_chunk` as the signature of the same name, and source.json beside it."""
    module = tf.Module()
    module.train_chunk = train_chunk
    tf.saved_model.save(module, out_dir, signatures={'train_chunk': train_chunk})
    json.dump({**source, 'tensorflow': tf.__version__}, open(os.path.join(out_dir, 'source.json'), 'w'), indent=1)
    print(f'saved {out_dir} (TensorFlow {tf.__version__})')
