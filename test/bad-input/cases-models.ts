// Users' own models (issue 11: `--model` and `--backbone` with ONNX and SavedModel folders):
// a broken model file, a folder with no model or two, preprocessing that is missing or not
// JSON, a class list of the wrong length, a checksum that does not match, a classifier
// checkpoint given as a backbone. Each is refused naming the file and the problem.
import { copyFileSync, cpSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaseContext, CaseDef, Expectation } from './corpus-types.js';
import { digitFolder, digitPool } from './datasets.js';
import { put } from './images.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const NOT_STACK = [/\n\s+at .*\(.*:\d+:\d+\)/, /TF_Status/];
const refused = (named: string[], problem: RegExp[]): Expectation => ({
  code: 'refused',
  named,
  problem,
  stderrNot: NOT_STACK,
});

/** The ONNX fixture (32 x 32 x 3, preprocessor_config.json, classes.json) copied into dir/m, then broken by `edit`. */
function onnxCopy(dir: string, edit: (m: string) => void = () => {}): string {
  const m = join(dir, 'm');
  cpSync(join(fixtures, 'onnx-cifar'), m, { recursive: true });
  edit(m);
  return m;
}

function modelCase(
  name: string,
  flag: '--model' | '--backbone',
  model: (ctx: CaseContext) => string,
  expect: Expectation,
  ...more: string[]
): CaseDef {
  return {
    name,
    issue: 'own',
    build: async (ctx) => {
      const train = digitFolder(join(ctx.dir, 'data'));
      const pool = digitPool(join(ctx.dir, 'pool'));
      const out = join(ctx.dir, 'out', 'scores.csv');
      return { argv: ['score', '--train', train, '--pool', pool, '--out', out, flag, model(ctx), ...more], expect };
    },
  };
}

export const MODEL_CASES: CaseDef[] = [
  modelCase(
    'onnx-model-of-garbage-bytes',
    '--model',
    ({ dir }) => onnxCopy(dir, (m) => put(join(m, 'model.onnx'), 'this is not a protobuf '.repeat(40))),
    refused(['model.onnx'], [/onnx/i]),
  ),
  modelCase(
    'onnx-model-cut-short',
    '--model',
    ({ dir }) =>
      onnxCopy(dir, (m) => {
        const bytes = readFileSync(join(m, 'model.onnx'));
        put(join(m, 'model.onnx'), bytes.subarray(0, Math.floor(bytes.length / 2)));
      }),
    refused(['model.onnx'], [/onnx/i]),
  ),
  modelCase(
    'onnx-model-without-preprocessing',
    '--model',
    ({ dir }) => {
      const m = join(dir, 'm');
      copyFileSync(join(fixtures, 'onnx-cifar', 'model.onnx'), put(join(m, 'model.onnx'), ''));
      return m;
    },
    // The folder is named: what to declare goes beside the model.
    refused(['/m: '], [/cannot tell how the model's input .* is scaled/, /preprocessor_config\.json/]),
  ),
  modelCase(
    'preprocessor-config-not-json',
    '--model',
    ({ dir }) => onnxCopy(dir, (m) => put(join(m, 'preprocessor_config.json'), '{ "size": 32, ')),
    refused(['preprocessor_config.json'], [/JSON/i]),
  ),
  modelCase(
    'classes-json-of-the-wrong-length',
    '--model',
    ({ dir }) => onnxCopy(dir, (m) => put(join(m, 'classes.json'), '["cat", "dog", "fox"]')),
    refused(['classes.json'], [/3 .*10|10 .*3/]),
  ),
  modelCase(
    'model-folder-with-two-models',
    '--model',
    ({ dir }) => onnxCopy(dir, (m) => put(join(m, 'saved_model.pb'), 'x')),
    refused(['model.onnx', 'saved_model.pb'], [/more than one model/]),
  ),
  modelCase(
    'model-folder-with-no-model',
    '--model',
    ({ dir }) => dirname(put(join(dir, 'm', 'notes.txt'), 'weights to follow')),
    refused(['m'], [/holds no model/]),
  ),
  modelCase(
    'backbone-onnx-of-garbage-bytes',
    '--backbone',
    ({ dir }) => onnxCopy(dir, (m) => put(join(m, 'model.onnx'), 'this is not a protobuf '.repeat(40))),
    refused(['model.onnx'], [/Backbone/, /onnx/i]),
  ),
  modelCase(
    'backbone-sha256-mismatch',
    '--backbone',
    ({ dir }) => onnxCopy(dir),
    refused(['model.onnx'], [/does not match --backbone-sha256/]),
    '--backbone-sha256',
    '0'.repeat(64),
  ),
  modelCase(
    'backbone-a-classifier-checkpoint',
    '--backbone',
    ({ shared }) => shared.model3,
    refused(['model3'], [/an Unsure checkpoint, .*not a backbone; give it as --model/]),
  ),
];
