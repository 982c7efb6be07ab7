// How a backbone is named, read the same by the API's schema, the service, the engine and
// the Open dialog: a folder, or an http(s) URL downloaded once, checked by its sha256.

/** A backbone given as a URL to download rather than a folder. */
export function isBackboneUrl(spec: string): boolean {
  return /^https?:\/\//i.test(spec);
}

/** A sha256 as hex. */
export const SHA256_HEX = /^[0-9a-f]{64}$/i;
