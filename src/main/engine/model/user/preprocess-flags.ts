// The preprocessing flags of the CLI (PREPROCESS_FLAGS) to the Hugging Face fields they stand
// for, so a model without a preprocessor_config.json is declared on the command line with the
// same meaning. Values are as node:util parseArgs gives them, keyed by flag name.
import type { PreprocessSpec } from './preprocess.js';

export interface PreprocessFlagValues {
  size?: string;
  'crop-size'?: string;
  'rescale-factor'?: string;
  'image-mean'?: string;
  'image-std'?: string;
  'no-resize'?: boolean;
  'no-rescale'?: boolean;
  'no-normalize'?: boolean;
  'center-crop'?: boolean;
}

/** parseArgs options for the flags above. */
export const PREPROCESS_FLAG_OPTIONS = {
  size: { type: 'string' },
  'crop-size': { type: 'string' },
  'rescale-factor': { type: 'string' },
  'image-mean': { type: 'string' },
  'image-std': { type: 'string' },
  'no-resize': { type: 'boolean' },
  'no-rescale': { type: 'boolean' },
  'no-normalize': { type: 'boolean' },
  'center-crop': { type: 'boolean' },
} as const;

function dims(flag: string, v: string): { height: number; width: number } {
  const m = /^\s*(\d+)\s*(?:[x,]\s*(\d+)\s*)?$/i.exec(v);
  const h = m ? Number(m[1]) : NaN;
  const w = m?.[2] !== undefined ? Number(m[2]) : h;
  if (!(h > 0) || !(w > 0)) throw new Error(`--${flag}: expected HxW or N (for example 224x224), got '${v}'`);
  return { height: h, width: w };
}

function numbers(flag: string, v: string): number[] {
  const xs = v.split(',').map((s) => Number(s.trim()));
  if (xs.length === 0 || xs.some((x) => !Number.isFinite(x) || v.trim() === ''))
    throw new Error(
      `--${flag}: expected a number or numbers separated by commas (for example 0.5,0.5,0.5), got '${v}'`,
    );
  return xs;
}

/** The spec the flags declare, or undefined when none is given. */
export function preprocessFromFlags(v: PreprocessFlagValues): PreprocessSpec | undefined {
  const spec: PreprocessSpec = {};
  if (v.size !== undefined) spec.size = dims('size', v.size);
  if (v['crop-size'] !== undefined) {
    spec.crop_size = dims('crop-size', v['crop-size']);
    spec.do_center_crop = true;
  }
  if (v['center-crop'] === true) spec.do_center_crop = true;
  if (v['no-resize'] === true) spec.do_resize = false;
  if (v['rescale-factor'] !== undefined) {
    const [f, ...rest] = numbers('rescale-factor', v['rescale-factor']);
    if (rest.length > 0 || !(f! > 0))
      throw new Error(`--rescale-factor: expected one positive number, got '${v['rescale-factor']}'`);
    spec.rescale_factor = f!;
  }
  if (v['no-rescale'] === true) spec.do_rescale = false;
  if (v['image-mean'] !== undefined) spec.image_mean = numbers('image-mean', v['image-mean']);
  if (v['image-std'] !== undefined) spec.image_std = numbers('image-std', v['image-std']);
  if (v['no-normalize'] === true) spec.do_normalize = false;
  return Object.keys(spec).length > 0 ? spec : undefined;
}
