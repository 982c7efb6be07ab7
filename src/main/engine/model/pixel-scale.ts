// Grey bytes 0..255 to the model's inputs 0..1, in one place: a table lookup gives exactly the
// float32 of v / 255 without a division per pixel.
export const UNIT_OF_BYTE: Float32Array = Float32Array.from({ length: 256 }, (_, v) => v / 255);

/** `count` bytes from bytes[from] scaled into out from out[to]; returns out. */
export function scaleBytes(
  bytes: Uint8Array,
  out: Float32Array,
  from = 0,
  to = 0,
  count = bytes.length - from,
): Float32Array {
  if (
    !Number.isInteger(from) ||
    !Number.isInteger(to) ||
    from < 0 ||
    to < 0 ||
    from + count > bytes.length ||
    to + count > out.length
  )
    throw new RangeError(`scaleBytes: ${count} values from ${from} of ${bytes.length} into ${to} of ${out.length}`);
  // In range (checked above), and every byte indexes the 256-entry table.
  for (let j = 0; j < count; j++) out[to + j] = UNIT_OF_BYTE[bytes[from + j]!]!;
  return out;
}
