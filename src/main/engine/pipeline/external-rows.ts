// Imported predictions as an Extractor's rows (model/extractor.ts): one row per sample, logits
// as log-probabilities (softmax(log p) = p, so MSP, margin and entropy are exact). Rows are
// given per file; copies of one sample (identical bytes) share its row, the first file's.
import type { PredictionRows } from '../engine-types.js';
import type { ExternalPredictions } from './external-predictions.js';

/** Below this a probability is taken as this, so log p stays finite. */
const MIN_PROB = 1e-12;
/** Copies whose given rows differ by more than this are named in a note. */
const COPY_TOLERANCE = 1e-4;

export interface ExternalRows extends PredictionRows {
  notes: string[];
}

/**
 * @param fileSample for each file row of `pred` (in its order), the sample it belongs to
 * (FileRow.sample, pipeline/file-rows.ts); without it, file i is sample i.
 * @param samples how many samples the rows cover (default: the largest index + 1).
 */
export function externalExtractorRows(
  pred: ExternalPredictions,
  fileSample?: readonly number[],
  samples?: number,
): ExternalRows {
  const C = pred.classes.length;
  const files = pred.probs.length / C;
  const sampleOf = fileSample ?? Array.from({ length: files }, (_, i) => i);
  if (sampleOf.length !== files)
    throw new RangeError(`externalExtractorRows: ${sampleOf.length} file rows mapped, the predictions hold ${files}`);
  const n = samples ?? sampleOf.reduce((m, s) => Math.max(m, s + 1), 0);
  const D = pred.dim;
  const logits = new Float32Array(n * C);
  const features = pred.features ? new Float32Array(n * D) : null;
  const firstFile = new Int32Array(n).fill(-1);
  const disagree: number[] = [];
  sampleOf.forEach((s, f) => {
    if (s < 0 || s >= n) throw new RangeError(`externalExtractorRows: file ${f} maps to sample ${s} of ${n}`);
    const first = firstFile[s]!;
    if (first >= 0) {
      if (differs(pred.probs, C, first, f) || (pred.features && differs(pred.features, D, first, f))) disagree.push(f);
      return;
    }
    firstFile[s] = f;
    for (let c = 0; c < C; c++) logits[s * C + c] = Math.log(Math.max(MIN_PROB, pred.probs[f * C + c]!));
    if (features && pred.features) features.set(pred.features.subarray(f * D, (f + 1) * D), s * D);
  });
  const missing = firstFile.findIndex((f) => f < 0);
  if (missing >= 0) throw new RangeError(`externalExtractorRows: sample ${missing} has no file row`);
  const notes = [...pred.notes];
  if (disagree.length > 0)
    notes.push(
      `${disagree.length} file${disagree.length === 1 ? '' : 's'} with the same bytes as an earlier one got different predictions; ` +
        `the first file's row is used (identical files are one sample)`,
    );
  return { logits, features, dim: D, classes: pred.classes, notes };
}

function differs(data: Float32Array, width: number, a: number, b: number): boolean {
  for (let k = 0; k < width; k++)
    if (Math.abs(data[a * width + k]! - data[b * width + k]!) > COPY_TOLERANCE) return true;
  return false;
}
