// The layering rule, as an allowlist per layer (VS Code's code-layering idea): each folder
// names what it may import, and anything else is an error. The layers and why: docs/architecture.md.
import { builtinModules } from 'node:module';
import path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));

/**
 * Layers, most specific first. `may` lists what a file of the layer may import: other layers
 * by name, 'node' (Node's built-in modules), 'electron', and npm packages by name.
 */
export const LAYERS = [
  { name: 'shared', dir: 'src/shared', may: ['shared', 'zod'] },
  // The one file that loads TensorFlow (its log level set first, the native backend checked).
  { name: 'engine-tf', file: 'src/main/engine/model/tf.ts', may: ['engine', '@tensorflow/tfjs-node'] },
  {
    name: 'engine',
    dir: 'src/main/engine',
    may: ['shared', 'engine', 'engine-tf', 'node', 'sharp', 'onnxruntime-node', 'zod', 'tsx'],
  },
  {
    name: 'main-electron',
    dir: 'src/main/electron',
    may: ['shared', 'main', 'main-electron', 'engine', 'node', 'electron'],
  },
  {
    name: 'main-index',
    file: 'src/main/index.ts',
    may: ['shared', 'main', 'main-electron', 'engine', 'node', 'electron'],
  },
  { name: 'main-ipc', file: 'src/main/transport/ipc.ts', may: ['shared', 'main', 'main-electron', 'node', 'electron'] },
  { name: 'main', dir: 'src/main', may: ['shared', 'main', 'engine', 'node', 'zod'] },
  { name: 'preload', dir: 'src/preload', may: ['shared', 'electron'] },
  { name: 'renderer', dir: 'src/renderer', may: ['shared', 'renderer', 'react', 'react-dom', 'dexie', 'zod'] },
];

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function layerOf(file) {
  const rel = path.relative(root, file).split(path.sep).join('/');
  return LAYERS.find((l) => (l.file ? rel === l.file : rel === l.dir || rel.startsWith(`${l.dir}/`))) ?? null;
}

/** The layer name (or 'node', 'electron', a package name, 'outside') an import resolves to. */
function targetOf(specifier, fromFile) {
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    const abs = path.resolve(path.dirname(fromFile), specifier);
    const layer = layerOf(abs);
    if (layer) return layer.name;
    return path.relative(root, abs).split(path.sep).join('/');
  }
  if (builtins.has(specifier) || builtins.has(specifier.split('/')[0])) return 'node';
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'each layer under src/ imports only what its allowlist names' },
    schema: [],
    messages: {
      denied: "{{layer}} may not import '{{specifier}}' ({{target}}); it may import: {{may}}",
    },
  },
  create(context) {
    const file = context.filename;
    const layer = layerOf(file);
    if (!layer) return {};
    const check = (node, specifier) => {
      if (typeof specifier !== 'string') return;
      const target = targetOf(specifier, file);
      if (layer.may.includes(target)) return;
      context.report({
        node,
        messageId: 'denied',
        data: { layer: layer.name, specifier, target, may: layer.may.join(', ') },
      });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

export default { rules: { 'allowed-imports': rule } };
