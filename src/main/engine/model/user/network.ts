// One interface over the runtimes a user's model can need (tfjs Layers and graph models, a
// SavedModel through libtensorflow, ONNX through onnxruntime): its one image input, its
// outputs, and a run on float batches. Dimensions the model leaves open are null.
import type { ModelFormat } from './find-model.js';

export type Dim = number | null;

export interface NetOutput {
  name: string;
  dims: Dim[];
}

/** What an output is known to be by construction (a Layers model's recomputed logits). */
export interface OutputRoles {
  logits?: string;
  probabilities?: string;
  features?: string;
}

export interface Network {
  readonly format: ModelFormat;
  readonly input: { name: string; dims: Dim[] };
  readonly outputs: NetOutput[];
  /** The framework's own convention, used when the input's shape fits both layouts. */
  readonly preferredLayout: 'NHWC' | 'NCHW';
  readonly roles: OutputRoles;
  /** True when the model scales its own input, so it takes bytes 0..255 as they are. */
  readonly takesBytes?: boolean;
  readonly notes: string[];
  /** Each output's values for a batch shaped `dims`, row-major. */
  run(x: Float32Array, dims: number[]): Promise<Map<string, Float32Array>>;
  dispose(): void;
}

export type Layout = 'NHWC' | 'NCHW' | 'NHW' | 'flat';

export interface InputGeometry {
  layout: Layout;
  height: number | null;
  width: number | null;
  /** For 'flat', the row length the model takes. */
  flatLength: number | null;
  channels: 1 | 3 | null;
  /** The batch size the model fixes, or null when any is taken. */
  batch: number | null;
}

/** Dimensions as read from a model: negative, zero, symbolic or missing all mean "any". */
export function normaliseDims(dims: readonly unknown[]): Dim[] {
  return dims.map((d) => {
    const v = typeof d === 'number' ? d : typeof d === 'string' ? NaN : Number(d);
    return Number.isInteger(v) && v > 0 ? v : null;
  });
}

export function describeDims(dims: readonly Dim[]): string {
  return `[${dims.map((d) => d ?? '?').join(', ')}]`;
}

const isChannels = (d: Dim): d is 1 | 3 => d === 1 || d === 3;

/** Layout and size of an image input: channels on the axis that holds 1 or 3. */
export function inputGeometry(dims: readonly Dim[], preferred: 'NHWC' | 'NCHW', where: string): InputGeometry {
  const batch = dims[0] ?? null;
  const shape = describeDims(dims);
  if (dims.length === 4) {
    const [, a, b, c] = dims as [Dim, Dim, Dim, Dim];
    const last = isChannels(c);
    const first = isChannels(a);
    if (!last && !first)
      throw new Error(`${where}: input ${shape} is not an image batch with 1 or 3 channels on axis 1 or 3`);
    const layout = last && first ? preferred : last ? 'NHWC' : 'NCHW';
    return layout === 'NHWC'
      ? { layout, height: a, width: b, channels: c as 1 | 3, flatLength: null, batch }
      : { layout, height: b, width: c, channels: a as 1 | 3, flatLength: null, batch };
  }
  if (dims.length === 3)
    return { layout: 'NHW', height: dims[1]!, width: dims[2]!, channels: 1, flatLength: null, batch };
  if (dims.length === 2) {
    const len = dims[1]!;
    // A flat 784 is today's digits; other flat inputs need their size declared.
    if (len === 784) return { layout: 'flat', height: 28, width: 28, channels: 1, flatLength: len, batch };
    return { layout: 'flat', height: null, width: null, channels: null, flatLength: len, batch };
  }
  throw new Error(`${where}: input ${shape} is not an image batch (expected 4 dimensions, NHWC or NCHW)`);
}
