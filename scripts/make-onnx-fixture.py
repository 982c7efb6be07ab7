"""Writes the ONNX fixtures of the user-model tests (src/main/engine/model/user/), which CI
cannot make (it has no Python):

- test/fixtures/synthetic8/: 8 seeded synthetic 32 x 32 colour images (a gradient and a
  shape each; no CIFAR-10 image is ever committed), as PNG so that Python and sharp decode
  the very same bytes;
- test/fixtures/onnx-cifar/: a small PyTorch CNN taking [n, 3, 32, 32] (NCHW), trained a
  little on 600 CIFAR-10 training images, exported to ONNX with the outputs 'logits' and
  'embedding', a Hugging Face style preprocessor_config.json, classes.json, and
  expected.json (PyTorch's own probabilities and argmax on the 8 images);
- test/fixtures/onnx-cifar-nhwc/: the same network taking [n, 32, 32, 3] (NHWC), its one
  output 'probabilities' (a softmax), class names in a Hugging Face config.json (id2label).

Run with torch, onnx and onnxscript installed, CIFAR-10 unpacked as class folders:

    python3 scripts/make-onnx-fixture.py /path/to/cifar10   # holds train/<class>/*.jpg, test/...
"""
import json
import os
import sys

import numpy as np
import torch
from PIL import Image

CIFAR = sys.argv[1] if len(sys.argv) > 1 else '/work/cache/cifar10'
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures')
CLASSES = sorted(os.listdir(os.path.join(CIFAR, 'train')))
MEAN = [0.4914, 0.4822, 0.4465]
STD = [0.247, 0.243, 0.261]
FACTOR = 1 / 255
torch.manual_seed(20261201)
rng = np.random.default_rng(20261201)


def load(split, cls, name):
    with Image.open(os.path.join(CIFAR, split, cls, name)) as im:
        return np.asarray(im.convert('RGB'), dtype=np.uint8)


def scale(bytes_nhwc):
    # Exactly the declared preprocessing: (byte * rescale_factor - mean) / std, float32.
    x = bytes_nhwc.astype(np.float32) * np.float32(FACTOR)
    return (x - np.array(MEAN, np.float32)) / np.array(STD, np.float32)


# 60 training images a class, 600 in all: enough for a real (if weak) classifier.
train_x, train_y = [], []
for k, cls in enumerate(CLASSES):
    names = sorted(os.listdir(os.path.join(CIFAR, 'train', cls)))[:60]
    for n in names:
        train_x.append(load('train', cls, n))
        train_y.append(k)
train_x = torch.tensor(scale(np.stack(train_x))).permute(0, 3, 1, 2).contiguous()
train_y = torch.tensor(train_y)


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.body = torch.nn.Sequential(
            torch.nn.Conv2d(3, 16, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
            torch.nn.Conv2d(16, 32, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
            torch.nn.Flatten(), torch.nn.Linear(32 * 8 * 8, 32), torch.nn.ReLU(),
        )
        self.head = torch.nn.Linear(32, len(CLASSES))

    def forward(self, x):
        embedding = self.body(x)
        return self.head(embedding), embedding


class Nhwc(torch.nn.Module):
    """The same network for channels-last input, giving probabilities only."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        logits, _ = self.net(x.permute(0, 3, 1, 2))
        return torch.softmax(logits, dim=1)


net = Net()
opt = torch.optim.Adam(net.parameters(), lr=2e-3)
for epoch in range(12):
    perm = torch.randperm(len(train_y))
    for i in range(0, len(perm), 50):
        idx = perm[i:i + 50]
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(net(train_x[idx])[0], train_y[idx])
        loss.backward()
        opt.step()
net.eval()
print('final batch loss', float(loss))

def synthetic(k):
    # A seeded gradient with a flat disc or square: made here, so no dataset image is committed.
    yy, xx = np.mgrid[0:32, 0:32].astype(np.float32) / 31
    c0, c1, c2 = rng.integers(0, 256, 3), rng.integers(0, 256, 3), rng.integers(0, 256, 3)
    img = c0[None, None, :] * (1 - xx[..., None]) + c1[None, None, :] * yy[..., None] * xx[..., None]
    cy, cx, r = rng.integers(8, 24), rng.integers(8, 24), rng.integers(4, 9)
    mask = (yy * 31 - cy) ** 2 + (xx * 31 - cx) ** 2 <= r * r if k % 2 else \
        (abs(yy * 31 - cy) <= r) & (abs(xx * 31 - cx) <= r)
    img[mask] = c2
    return np.clip(img, 0, 255).astype(np.uint8)


# The 8 committed images, PNG (lossless) so both sides read the same bytes.
img_dir = os.path.join(ROOT, 'synthetic8')
os.makedirs(img_dir, exist_ok=True)
files, pics = [], []
for k in range(8):
    px = synthetic(k)
    file = f'image-{k}.png'
    Image.fromarray(px).save(os.path.join(img_dir, file))
    files.append(file)
    pics.append(px)
pics = np.stack(pics)
with torch.no_grad():
    x = torch.tensor(scale(pics))
    logits, embedding = net(x.permute(0, 3, 1, 2).contiguous())
    probs = torch.softmax(logits, dim=1)
    probs_nhwc = Nhwc(net)(x)
train_acc = float((net(train_x)[0].argmax(1) == train_y).float().mean())
print('train accuracy', train_acc, 'test argmax', probs.argmax(1).tolist())


def export(module, example, folder, input_name, output_names, input_shape_note):
    out = os.path.join(ROOT, folder)
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, 'model.onnx')
    torch.onnx.export(
        module, (example,), path, input_names=[input_name], output_names=output_names,
        dynamic_axes={input_name: {0: 'batch'}, **{o: {0: 'batch'} for o in output_names}},
        dynamo=False, opset_version=17,
    )
    print('wrote', path, os.path.getsize(path), 'bytes', input_shape_note)
    return out


def expected(folder, p):
    with open(os.path.join(folder, 'expected.json'), 'w') as f:
        json.dump({'images': files, 'probabilities': np.round(p.numpy().astype(np.float64), 7).tolist(),
                   'argmax': p.argmax(1).tolist(), 'framework': f'torch {torch.__version__}'}, f, indent=1)


preprocessor = {
    'image_processor_type': 'ViTImageProcessor', 'do_resize': True, 'size': {'height': 32, 'width': 32},
    'do_rescale': True, 'rescale_factor': FACTOR, 'do_normalize': True, 'image_mean': MEAN, 'image_std': STD,
}
nchw = export(net, x[:2].permute(0, 3, 1, 2).contiguous(), 'onnx-cifar', 'pixel_values',
              ['logits', 'embedding'], '[n, 3, 32, 32]')
with open(os.path.join(nchw, 'preprocessor_config.json'), 'w') as f:
    json.dump(preprocessor, f, indent=1)
with open(os.path.join(nchw, 'classes.json'), 'w') as f:
    json.dump(CLASSES, f)
expected(nchw, probs)

nhwc = export(Nhwc(net), x[:2], 'onnx-cifar-nhwc', 'image', ['probabilities'], '[n, 32, 32, 3]')
with open(os.path.join(nhwc, 'preprocessor_config.json'), 'w') as f:
    json.dump(preprocessor, f, indent=1)
with open(os.path.join(nhwc, 'config.json'), 'w') as f:
    json.dump({'id2label': {str(i): c for i, c in enumerate(CLASSES)}}, f, indent=1)
expected(nhwc, probs_nhwc)
