"""Writes test/fixtures/savedmodel-cifar: a small Keras CNN taking [n, 32, 32, 3] (NHWC,
pixels x / 255), trained a little on 600 CIFAR-10 training images and exported as a
TensorFlow SavedModel whose one output is a softmax; class names in labels.txt; no
preprocessing file (the tests declare it with flags, and check the error without them).
expected.json holds TensorFlow's own probabilities and argmax on the 8 images of
test/fixtures/synthetic8 (written by scripts/make-onnx-fixture.py). Run with tensorflow-cpu:

    python3 scripts/make-keras-cifar-fixture.py /path/to/cifar10
"""
import json
import os
import shutil
import sys

import numpy as np
import tensorflow as tf
from PIL import Image

CIFAR = sys.argv[1] if len(sys.argv) > 1 else '/work/cache/cifar10'
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures')
OUT = os.path.join(ROOT, 'savedmodel-cifar')
CLASSES = sorted(os.listdir(os.path.join(CIFAR, 'train')))
tf.keras.utils.set_random_seed(20261201)


def load(path):
    with Image.open(path) as im:
        return np.asarray(im.convert('RGB'), dtype=np.uint8)


xs, ys = [], []
for k, cls in enumerate(CLASSES):
    for n in sorted(os.listdir(os.path.join(CIFAR, 'train', cls)))[:60]:
        xs.append(load(os.path.join(CIFAR, 'train', cls, n)))
        ys.append(k)
x = np.stack(xs).astype(np.float32) / np.float32(255)
y = np.array(ys)

model = tf.keras.Sequential([
    tf.keras.Input((32, 32, 3), name='image'),
    tf.keras.layers.Conv2D(16, 3, padding='same', activation='relu'),
    tf.keras.layers.MaxPooling2D(),
    tf.keras.layers.Conv2D(32, 3, padding='same', activation='relu'),
    tf.keras.layers.MaxPooling2D(),
    tf.keras.layers.Flatten(),
    tf.keras.layers.Dense(32, activation='relu'),
    tf.keras.layers.Dense(len(CLASSES), activation='softmax'),
])
model.compile(optimizer=tf.keras.optimizers.Adam(2e-3), loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.fit(x, y, epochs=12, batch_size=50, verbose=0, shuffle=True)
print('train accuracy', model.evaluate(x, y, verbose=0)[1])

shutil.rmtree(OUT, ignore_errors=True)
model.export(OUT)  # a SavedModel with a serving_default signature
with open(os.path.join(OUT, 'labels.txt'), 'w') as f:
    f.write('\n'.join(CLASSES) + '\n')

with open(os.path.join(ROOT, 'onnx-cifar', 'expected.json')) as f:
    files = json.load(f)['images']
pics = np.stack([load(os.path.join(ROOT, 'synthetic8', n)) for n in files]).astype(np.float32) / np.float32(255)
probs = model.predict(pics, verbose=0)
print('test argmax', probs.argmax(1).tolist())
with open(os.path.join(OUT, 'expected.json'), 'w') as f:
    json.dump({'images': files, 'probabilities': np.round(probs.astype(np.float64), 7).tolist(),
               'argmax': probs.argmax(1).tolist(), 'framework': f'tensorflow {tf.__version__}'}, f, indent=1)
print('wrote', OUT)
