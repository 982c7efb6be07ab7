// A module hook (node --import) that makes '@tensorflow/tfjs-node' impossible to import, so a
// test can show that a command answered or refused before loading TensorFlow.
export const NO_TENSORFLOW_HOOK = `data:text/javascript,${encodeURIComponent(`
  import { register } from 'node:module';
  register('data:text/javascript,' + encodeURIComponent(
    'export async function resolve(s, c, next) {' +
    '  if (s.includes("@tensorflow/tfjs-node")) throw new Error("TensorFlow was imported");' +
    '  return next(s, c);' +
    '}'));
`)}`;
