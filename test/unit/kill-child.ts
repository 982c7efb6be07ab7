// The child process of the kill tests (not a test itself): performs one write, named on the
// command line, so the parent can have it SIGKILLed at a kill point (UNSURE_TEST_KILL_AT)
// and then check what a real kill leaves on disk.
//   checkpoint <dir> <modelVersion>   saveCheckpoint of a small untrained CNN
//   file <file> <text>                writeFileAtomic of <text> repeated 100,000 times
//   export <dest> <source dir>        exportDataset of 20 PNGs written under <source dir>
import type { EngineSample } from '../../src/main/engine/engine-types.js';
import { exportDataset } from '../../src/main/engine/export/export-dataset.js';
import { writeFileAtomic } from '../../src/main/engine/project/atomic-write.js';
import { pixelsOf, writeSourcePng } from './export-fixtures.js';

const [what, target, arg] = process.argv.slice(2) as [string, string, string];

if (what === 'checkpoint') {
  const { Cnn, CnnClassifier } = await import('../../src/main/engine/model/cnn.js');
  const { saveCheckpoint } = await import('../../src/main/engine/model/checkpoint.js');
  const model = new CnnClassifier(Cnn.create(2, 1), ['a', 'b']);
  await saveCheckpoint(target, model, { modelVersion: arg, dataHash: 'h', seed: 1, options: { epochs: 1, seed: 1 } });
} else if (what === 'file') {
  await writeFileAtomic(target, arg.repeat(100_000));
} else if (what === 'export') {
  const n = 20;
  const samples: EngineSample[] = Array.from({ length: n }, (_, i) => ({
    id: `s${i}`,
    path: `${i % 2}/s${i}.png`,
    label: String(i % 2),
    file: writeSourcePng(arg, `${i % 2}/s${i}.png`, i),
    split: 'train',
  }));
  await exportDataset({
    dest: target,
    samples,
    pixels: pixelsOf(n),
    decisions: new Map(),
    labels: samples.map((s) => s.label),
    sourceRoots: [arg],
    sourceKind: 'folder',
  });
} else {
  throw new Error(`kill-child: unknown write '${what}'`);
}
