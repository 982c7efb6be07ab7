// The project's binary caches (rows, previews) as one file each: a 4-byte little-endian
// length, a JSON header of that length (padded with spaces to a multiple of 4, so a float
// body after it is aligned), then the body.
import type { FileHandle } from 'node:fs/promises';

/** Reads exactly `into.length` bytes at `position`, or throws. */
export async function readFully(fh: FileHandle, into: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < into.length;) {
    const { bytesRead } = await fh.read(into, done, into.length - done, position + done);
    if (bytesRead === 0) throw new Error('the file ends early');
    done += bytesRead;
  }
}

/** The file's header (parsed, not checked), where its body starts, and the file's size; throws on a malformed file. */
export async function readHeader(fh: FileHandle): Promise<{ header: unknown; bodyOffset: number; size: number }> {
  const size = (await fh.stat()).size;
  const lenBytes = new Uint8Array(4);
  await readFully(fh, lenBytes, 0);
  const len = Buffer.from(lenBytes).readUInt32LE(0);
  if (4 + len > size) throw new Error('header past the end of the file');
  const json = new Uint8Array(len);
  await readFully(fh, json, 4);
  return { header: JSON.parse(Buffer.from(json).toString('utf8')), bodyOffset: 4 + len, size };
}

/** The length and the padded JSON of `header`: the parts to write before the body. */
export function headerParts(header: object): [Uint8Array, Uint8Array] {
  let json = Buffer.from(JSON.stringify(header));
  json = Buffer.concat([json, Buffer.alloc((4 - (json.length % 4)) % 4, 0x20)]);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  return [len, json];
}
