// electron-builder beforePack hook (electron-builder.yml). scripts/setup.mjs links
// node_modules/@tensorflow/tfjs-node/deps/lib to a per-user cache of libtensorflow;
// electron-builder would copy that link as a link, which dangles on the user's machine.
// So before packing, the link is replaced by a real copy of the folder (its own relative
// links, libtensorflow.so.2 -> libtensorflow_cc.so.2, stay links). Copy to a hidden temp
// name, then rename over the link: a kill leaves either the link or the full copy.
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';

export const NATIVE_LIB_DIR = 'node_modules/@tensorflow/tfjs-node/deps/lib';

/** Makes `<root>/deps/lib` a real folder. Returns what it did: 'copied' or 'already-real'. */
export function materializeNativeLibs(root) {
  const lib = path.join(root, NATIVE_LIB_DIR);
  let st;
  try {
    st = fs.lstatSync(lib);
  } catch {
    throw new Error(`${lib}: missing; run \`npm ci\` (scripts/setup.mjs installs libtensorflow) before packaging`);
  }
  if (!st.isSymbolicLink()) {
    if (!st.isDirectory()) throw new Error(`${lib}: not a folder`);
    return 'already-real';
  }
  let target;
  try {
    target = fs.realpathSync(lib);
  } catch {
    throw new Error(`${lib}: links to ${fs.readlinkSync(lib)}, which does not exist; run \`npm ci\` again`);
  }
  if (!fs.statSync(target).isDirectory()) throw new Error(`${lib}: links to ${target}, which is not a folder`);
  const tmp = path.join(path.dirname(lib), `.lib.unsure-tmp-${process.pid}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.cpSync(target, tmp, { recursive: true, verbatimSymlinks: true });
  fs.rmSync(lib);
  fs.renameSync(tmp, lib);
  return 'copied';
}

export default async function beforePack(context) {
  materializeNativeLibs(context.packager.projectDir);
}
