// A tiny .npy writer for tests (NumPy's format, version 1 or 2), so imported predictions are
// real files without a Python install.
import { writeFileSync } from 'node:fs';

export interface NpyWriteOptions {
  descr?: '<f4' | '<f8' | '<i8' | '>f4' | '|u1';
  shape?: number[];
  fortran?: boolean;
  version?: 1 | 2;
  /** Bytes of data to leave off the end (a truncated file). */
  cut?: number;
}

export function encodeNpy(values: readonly number[], opts: NpyWriteOptions = {}): Buffer {
  const descr = opts.descr ?? '<f4';
  const shape = opts.shape ?? [values.length];
  const version = opts.version ?? 1;
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': ${opts.fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const pre = version === 1 ? 10 : 12;
  // NumPy pads the header with spaces and a newline to a multiple of 64 bytes.
  const total = Math.ceil((pre + header.length + 1) / 64) * 64;
  header = header.padEnd(total - pre - 1, ' ') + '\n';
  const head = Buffer.alloc(pre);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]).copy(head);
  if (version === 1) head.writeUInt16LE(header.length, 8);
  else head.writeUInt32LE(header.length, 8);
  const size = descr === '|u1' ? 1 : descr.endsWith('4') ? 4 : 8;
  const data = Buffer.alloc(values.length * size);
  values.forEach((v, i) => {
    if (descr === '<f4') data.writeFloatLE(v, i * 4);
    else if (descr === '>f4') data.writeFloatBE(v, i * 4);
    else if (descr === '<f8') data.writeDoubleLE(v, i * 8);
    else if (descr === '<i8') data.writeBigInt64LE(BigInt(v), i * 8);
    else data.writeUInt8(v, i);
  });
  const all = Buffer.concat([head, Buffer.from(header, 'latin1'), data]);
  return opts.cut ? all.subarray(0, all.length - opts.cut) : all;
}

export function writeNpy(file: string, values: readonly number[], opts: NpyWriteOptions = {}): string {
  writeFileSync(file, encodeNpy(values, opts));
  return file;
}
