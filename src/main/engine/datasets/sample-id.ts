import { createHash } from 'node:crypto';

/**
 * A sample's stable id: the first 20 hex chars (80 bits) of the SHA-256 of its bytes.
 * For a file these are the file's bytes, so a renamed or moved file keeps its id and its
 * review decisions. For an IDX record or a generated demo image they are the 784 raw
 * pixel bytes (no label, no index), so the same MNIST digit has the same id whether it
 * comes from an IDX folder or from the demo.
 */
export function sampleId(bytes: Uint8Array): string {
  // Hex of the first 10 bytes rather than a slice of the whole hex digest: V8 keeps a slice
  // as a view that holds its 64-character parent alive, ~80 bytes more for every sample.
  return createHash('sha256').update(bytes).digest().toString('hex', 0, 10);
}
