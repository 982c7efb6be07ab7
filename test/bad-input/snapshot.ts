// Before/after pictures of a folder tree, to prove a run changed no byte of a dataset and
// left nothing behind. Links are recorded as links (their target text), never followed, and
// FIFOs and devices by type only: reading them is what the corpus checks the CLI refuses.
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/** Relative path ('/'-separated) -> what it is: `file <mode> <sha256>`, `link -> <target>`, `dir <mode>`, ... */
export type Snapshot = Map<string, string>;

export function snapshot(root: string): Snapshot {
  const out: Snapshot = new Map();
  const walk = (dir: string, rel: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return; // unreadable or gone: recorded by its parent's entry only
    }
    for (const name of names) {
      const full = join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(full);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isSymbolicLink()) out.set(r, `link -> ${readlinkSync(full)}`);
      else if (st.isDirectory()) {
        out.set(r, `dir ${mode}`);
        walk(full, r);
      } else if (st.isFile())
        out.set(r, `file ${mode} ${createHash('sha256').update(readFileSync(full)).digest('hex')}`);
      else out.set(r, `special ${st.mode.toString(8)}`);
    }
  };
  walk(root, '');
  return out;
}

export interface SnapshotDiff {
  added: string[];
  removed: string[];
  changed: string[];
}

export function diffSnapshots(before: Snapshot, after: Snapshot): SnapshotDiff {
  const added = [...after.keys()].filter((k) => !before.has(k)).sort();
  const removed = [...before.keys()].filter((k) => !after.has(k)).sort();
  const changed = [...before.keys()].filter((k) => after.has(k) && after.get(k) !== before.get(k)).sort();
  return { added, removed, changed };
}

/** Whether `rel` is `prefix` itself or inside it. */
export function isUnder(rel: string, prefix: string): boolean {
  return rel === prefix || rel.startsWith(`${prefix}/`);
}
