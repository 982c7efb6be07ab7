// `npm run build:cli`, and the last step of `npm install`: bundles the CLI (scripts/cli-bundle.mjs).
// Without a bundle the CLI runs from the sources through tsx, so a failure here is a warning.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCliBundle } from './cli-bundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
try {
  const entry = await buildCliBundle(root);
  console.log(`[unsure setup] CLI bundled into ${path.relative(root, entry)}`);
} catch (err) {
  console.warn(`[unsure setup] could not bundle the CLI (it runs from the sources instead): ${err.message}`);
}
