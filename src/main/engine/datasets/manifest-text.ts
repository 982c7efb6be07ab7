// A manifest's bytes as text: UTF-8 (with or without a byte-order mark), or UTF-16 LE/BE
// with one (what Excel's "Unicode text" writes). Anything else, Latin-1 above all, is
// refused with the line it breaks on, instead of being read as garbage labels and paths.
import { DatasetError } from '../types.js';

export function decodeManifest(bytes: Uint8Array, manifest: string): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return utf16(bytes, 'utf-16le', manifest);
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return utf16(bytes, 'utf-16be', manifest);
  // No text file holds NUL bytes; UTF-16 without its byte-order mark is full of them.
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const line = bytes.subarray(0, nul).filter((b) => b === 0x0a).length + 1;
    throw new DatasetError(
      `Manifest ${manifest}: line ${line} holds a NUL byte (UTF-16 without a byte-order mark?); save the manifest as UTF-8`,
    );
  }
  let text: string;
  try {
    // ignoreBOM: the parser drops a leading U+FEFF itself.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const line = firstBadUtf8Line(bytes);
    throw new DatasetError(
      `Manifest ${manifest}: line ${line} is not valid UTF-8 (Latin-1 or another legacy encoding?); save the manifest as UTF-8`,
    );
  }
  return text;
}

function utf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be', manifest: string): string {
  if (bytes.length % 2 !== 0) {
    throw new DatasetError(
      `Manifest ${manifest}: a ${encoding.toUpperCase()} file with an odd number of bytes (cut short?); save the manifest as UTF-8`,
    );
  }
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new DatasetError(
      `Manifest ${manifest}: not valid ${encoding.toUpperCase()} despite its byte-order mark; save the manifest as UTF-8`,
    );
  }
}

/** 1-based line of the first byte sequence that is not UTF-8. */
function firstBadUtf8Line(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      try {
        decoder.decode(bytes.subarray(start, i));
      } catch {
        return line;
      }
      line++;
      start = i + 1;
    }
  }
  return line;
}
