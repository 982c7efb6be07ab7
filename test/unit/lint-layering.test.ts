// The layering allowlist (scripts/eslint-layers.js) bites: for each layer, a wrong import in
// each direction is an error, and the imports the layer is allowed pass.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// The probes are files that do not exist, which the type-aware rules cannot type: those are
// switched off here (the layering rule needs no types).
const eslint = new ESLint({
  cwd: root,
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/no-misused-promises': 'off',
      '@typescript-eslint/await-thenable': 'off',
    },
  },
});

async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId === 'layers/allowed-imports').map((m) => m.message);
}

const cases: { file: string; denied: string[]; allowed: string[] }[] = [
  {
    file: 'src/shared/probe.ts',
    denied: [
      "import 'node:fs';",
      "import 'electron';",
      "import '../main/service/jobs.js';",
      "import '../renderer/src/bridge.js';",
    ],
    allowed: ["import './api.js';", "import 'zod';"],
  },
  {
    file: 'src/main/engine/probe.ts',
    denied: [
      "import 'electron';",
      "import '../service/jobs.js';",
      "import '../transport/http-server.js';",
      "import '../../renderer/src/bridge.js';",
      "import '../../../bench/machine.js';",
      "import '../../../test/e2e/server.js';",
      "import 'react';",
      // TensorFlow only through model/tf.ts, which sets its log level first.
      "import '@tensorflow/tfjs-node';",
    ],
    allowed: [
      "import 'node:fs';",
      "import './types.js';",
      "import '../../shared/api.js';",
      "import './model/tf.js';",
      "import 'sharp';",
    ],
  },
  {
    file: 'src/main/engine/model/tf.ts',
    denied: ["import 'sharp';", "import '../../service/jobs.js';"],
    allowed: ["import '@tensorflow/tfjs-node';", "import './tf-log-level.js';"],
  },
  {
    file: 'src/main/service/probe.ts',
    denied: [
      "import 'electron';",
      "import '../../renderer/src/bridge.js';",
      "await import('../../../bench/quality.js');",
    ],
    allowed: ["import '../engine/types.js';", "import './jobs.js';", "import 'node:path';"],
  },
  {
    file: 'src/renderer/src/probe.ts',
    denied: ["import 'node:fs';", "import 'fs';", "import 'electron';", "import '../../main/engine/types.js';"],
    allowed: ["import 'react';", "import './bridge.js';", "import '../../shared/api.js';"],
  },
  {
    file: 'src/preload/probe.ts',
    denied: ["import 'node:fs';", "import '../main/service/jobs.js';", "import '../renderer/src/bridge.js';"],
    allowed: ["import 'electron';", "import '../shared/ipc-channels.js';"],
  },
];

for (const c of cases) {
  test(`${path.dirname(c.file)}: wrong imports are errors, allowed ones pass`, async () => {
    for (const code of c.denied) {
      const errors = await layerErrors(c.file, code);
      assert.equal(errors.length, 1, `${c.file}: expected '${code}' to be refused, got ${JSON.stringify(errors)}`);
    }
    for (const code of c.allowed) {
      assert.deepEqual(await layerErrors(c.file, code), [], `${c.file}: '${code}' should be allowed`);
    }
  });
}

test('files outside src/ (tests, benchmarks, scripts) are not layered', async () => {
  assert.deepEqual(await layerErrors('bench/probe.ts', "import '../test/e2e/server.js'; import 'electron';"), []);
});
