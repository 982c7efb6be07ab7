// NumPy's .npy format (versions 1 to 3): a magic string, a header that is a Python dict
// literal ({'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }), then the raw array.
// Read as float32 rows, for imported probabilities and features.
import { readFile, stat } from 'node:fs/promises';
import { DatasetError } from '../types.js';

/** Node reads at most 2 GiB into one buffer; as float32, 100,000 rows of 5,000 values. */
const MAX_NPY_BYTES = 2 * 2 ** 30 - 1;
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export interface NpyMatrix {
  rows: number;
  cols: number;
  /** rows * cols values, C order (row after row). */
  data: Float32Array;
  /** The file's own dtype, e.g. '<f8'. */
  dtype: string;
}

interface Header {
  descr: string;
  fortran: boolean;
  shape: number[];
  dataStart: number;
}

/** Element readers by kind and size; a value is read little- or big-endian as the descr says. */
function reader(kind: string, size: number): ((v: DataView, at: number, le: boolean) => number) | null {
  const key = `${kind}${size}`;
  switch (key) {
    case 'f4':
      return (v, at, le) => v.getFloat32(at, le);
    case 'f8':
      return (v, at, le) => v.getFloat64(at, le);
    case 'i1':
      return (v, at) => v.getInt8(at);
    case 'u1':
    case 'b1':
      return (v, at) => v.getUint8(at);
    case 'i2':
      return (v, at, le) => v.getInt16(at, le);
    case 'u2':
      return (v, at, le) => v.getUint16(at, le);
    case 'i4':
      return (v, at, le) => v.getInt32(at, le);
    case 'u4':
      return (v, at, le) => v.getUint32(at, le);
    case 'i8':
      return (v, at, le) => Number(v.getBigInt64(at, le));
    case 'u8':
      return (v, at, le) => Number(v.getBigUint64(at, le));
    default:
      return null;
  }
}

function parseHeader(bytes: Uint8Array, file: string): Header {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b))
    throw new DatasetError(`${file}: not a .npy file (bad magic: it does not start with \\x93NUMPY)`);
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let len: number;
  let start: number;
  if (major === 1) {
    len = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new DatasetError(`${file}: truncated .npy header`);
    len = view.getUint32(8, true);
    start = 12;
  } else {
    throw new DatasetError(`${file}: .npy format version ${major} is not one Unsure reads (1, 2 or 3)`);
  }
  if (start + len > bytes.length) throw new DatasetError(`${file}: truncated .npy header`);
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + len));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shape === undefined)
    throw new DatasetError(`${file}: unreadable .npy header (${JSON.stringify(text.trim().slice(0, 120))})`);
  const dims = shape
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 0))
    throw new DatasetError(`${file}: bad shape (${shape}) in the .npy header`);
  return { descr, fortran: fortran === 'True', shape: dims, dataStart: start + len };
}

/**
 * A 2-D numeric .npy array as float32, C order. `what` names the array in errors
 * ("probabilities"). A Fortran-order array is transposed into C order.
 */
export async function readNpyMatrix(file: string, what: string): Promise<NpyMatrix> {
  let bytes: Buffer;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new DatasetError(`${file}: not a regular file`);
    if (info.size > MAX_NPY_BYTES)
      throw new DatasetError(
        `${file}: ${(info.size / 2 ** 30).toFixed(1)} GiB, over the 2 GiB a .npy may hold here; give float32 rows (or fewer feature columns)`,
      );
    bytes = await readFile(file);
  } catch (err) {
    if (err instanceof DatasetError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new DatasetError(code === 'ENOENT' ? `${file}: file not found` : `${file}: cannot be read (${code})`);
  }
  return parseNpyMatrix(bytes, file, what);
}

export function parseNpyMatrix(bytes: Uint8Array, file: string, what: string): NpyMatrix {
  const h = parseHeader(bytes, file);
  const m = /^([<>|=])([a-z])(\d+)$/.exec(h.descr);
  const read = m ? reader(m[2]!, Number(m[3])) : null;
  if (!m || !read)
    throw new DatasetError(
      `${file}: dtype '${h.descr}' is not a number type Unsure reads for ${what} (float32/64, int or uint, e.g. '<f4')`,
    );
  if (h.shape.length !== 2)
    throw new DatasetError(
      `${file}: ${what} must be a 2-D array (rows x columns), got ${h.shape.length}-D shape (${h.shape.join(', ')})`,
    );
  const [rows, cols] = h.shape as [number, number];
  const size = Number(m[3]);
  const le = m[1] !== '>';
  const need = rows * cols * size;
  const have = bytes.length - h.dataStart;
  if (have < need)
    throw new DatasetError(
      `${file}: truncated data: shape (${rows}, ${cols}) of '${h.descr}' needs ${need} bytes, the file holds ${have}`,
    );
  if (have > need)
    throw new DatasetError(`${file}: ${have - need} bytes after the (${rows}, ${cols}) array: not a single .npy array`);
  const view = new DataView(bytes.buffer, bytes.byteOffset + h.dataStart, need);
  const data = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      // Fortran order stores column after column.
      const at = h.fortran ? c * rows + r : r * cols + c;
      data[r * cols + c] = read(view, at * size, le);
    }
  }
  return { rows, cols, data, dtype: h.descr };
}
