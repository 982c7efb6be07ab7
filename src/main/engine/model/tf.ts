// The one place that loads TensorFlow. Everything in the engine imports tf from here so the
// native backend check happens once, before any op runs: the pure-JS fallback would be
// 50-100x slower and silently turn a 10 s training into a 15 min one.
import './tf-log-level.js';
import * as tf from '@tensorflow/tfjs-node';

export { tf };

export interface BackendInfo {
  backend: string;
  libtensorflow: string;
  tfjsNode: string;
}

function assertNativeBackend(): void {
  const name = tf.getBackend();
  if (name !== 'tensorflow') {
    throw new Error(
      `TensorFlow backend is '${name}', not the native 'tensorflow' backend. ` +
        'The native binding of @tensorflow/tfjs-node is missing or failed to load; run `npm run setup` to build it.',
    );
  }
}

assertNativeBackend();

export function backendInfo(): BackendInfo {
  // The binding object is internal to tfjs-node, hence the cast; TF_Version is the
  // version of the libtensorflow shared library actually loaded.
  const binding = (tf.backend() as unknown as { binding?: { TF_Version?: string } }).binding;
  return {
    backend: tf.getBackend(),
    libtensorflow: binding?.TF_Version ?? 'unknown',
    tfjsNode: (tf.version as Record<string, string>)['tfjs-node'] ?? 'unknown',
  };
}
