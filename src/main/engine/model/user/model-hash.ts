// The cache id of a user's model: a hash of every file in its folder (names and bytes) and
// of the recipe it is fed with, so any change to either makes the cached rows stale.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Recipe } from '../../../../shared/recipe.js';

async function filesUnder(dir: string, rel = ''): Promise<string[]> {
  const entries = await readdir(path.join(dir, rel), { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await filesUnder(dir, r)));
    else if (e.isFile()) out.push(r);
  }
  return out;
}

export async function modelId(dir: string, format: string, recipe: Recipe): Promise<string> {
  const h = createHash('sha256');
  for (const rel of await filesUnder(dir)) {
    h.update(`${rel}\0`);
    for await (const chunk of createReadStream(path.join(dir, rel))) h.update(chunk as Buffer);
    h.update('\0');
  }
  h.update(JSON.stringify(recipe));
  return `user-${format}-${h.digest('hex').slice(0, 16)}:${recipe.name}-v${recipe.version}`;
}
