"""What the training-graph scripts (make-cnn-train-graph.py, make-head-train-graph.py) share:
the state's outputs by name and the SavedModel they write."""
import json
import os

import tensorflow as tf


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
