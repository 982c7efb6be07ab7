// The large answers (the samples of an opening, the queue of a revision) change only with
// their openId or revision, yet every tab asks for them after events. Encoding them per
// request blocked the event loop for everyone; here each is encoded (and gzipped, off the
// main thread) once per result object, which the service replaces when it changes.
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const gzip = promisify(zlib.gzip);

export interface EncodedReply {
  json: Buffer;
  gzip: Promise<Buffer>;
}

export function replyCache(): (result: object) => EncodedReply {
  const cache = new WeakMap<object, EncodedReply>();
  return (result) => {
    let hit = cache.get(result);
    if (!hit) {
      const json = Buffer.from(`{"ok":true,"result":${JSON.stringify(result)}}`, 'utf8');
      // Once per object and off the main thread, so the default level's extra time (tens of
      // ms for a 100k queue) is paid once, while every request sends the ~10% fewer bytes.
      const zipped = gzip(json, { level: 6 });
      zipped.catch(() => undefined);
      hit = { json, gzip: zipped };
      cache.set(result, hit);
    }
    return hit;
  };
}
