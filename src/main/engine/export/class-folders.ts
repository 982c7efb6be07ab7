// Folder names for the exported classes. A label is usually a fine folder name already
// ('7', 'cat'), and then it is used as is, so the export reads back with the same labels.
// Labels from a CSV can hold anything, though: those are made safe on every OS, and two
// labels never share a folder (not even on case-insensitive file systems).
import { compareNatural } from '../datasets/natural-sort.js';

/** Folder of samples left without a label, unless a real class already has that name. */
export const UNLABELED_FOLDER = 'unlabeled';
/** Folder the model is saved into; a class may not take it. */
export const MODEL_FOLDER = 'model';

export interface ClassFolders {
  /** Label -> folder name (one path segment). */
  folderOf: Map<string, string>;
  /** Folder for samples without a final label. */
  unlabeled: string;
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$/i;

export function safeSegment(raw: string): string {
  let s = raw
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[<>:"/\\|?*\u0000-\u001f]/g, '_')
    // Windows drops trailing dots and spaces, which would merge 'a.' with 'a'.
    .replace(/[. ]+$/, (m) => '_'.repeat(m.length));
  if (s === '') s = '_';
  // Folder readers skip hidden folders.
  if (s.startsWith('.')) s = '_' + s;
  if (WINDOWS_RESERVED.test(s)) s = '_' + s;
  // Keep well under the 255-byte name limit of common file systems.
  while (Buffer.byteLength(s, 'utf8') > 120) s = s.slice(0, -1);
  return s;
}

export function classFolders(labels: Iterable<string>): ClassFolders {
  const taken = new Set<string>([MODEL_FOLDER]);
  const folderOf = new Map<string, string>();
  const claim = (wanted: string): string => {
    let name = wanted;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${wanted}-${n}`;
    taken.add(name.toLowerCase());
    return name;
  };
  // Labels that are already safe go first, so they keep their own name whatever else is there.
  const sorted = [...new Set(labels)].sort(compareNatural);
  const safe = sorted.filter((l) => safeSegment(l) === l);
  const unsafe = sorted.filter((l) => safeSegment(l) !== l);
  for (const label of [...safe, ...unsafe]) folderOf.set(label, claim(safeSegment(label)));
  return { folderOf, unlabeled: claim(UNLABELED_FOLDER) };
}

/** A file name for a sample id: ids are hashes in practice, but nothing forbids other characters. */
export function safeFileStem(id: string): string {
  const s = id
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^\.+/, '_')
    .slice(0, 100);
  return s || '_';
}
