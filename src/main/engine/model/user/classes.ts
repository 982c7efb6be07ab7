// A user's model's class names, in output order: classes.json (a JSON array), labels.txt (one
// a line), or a Hugging Face config.json's id2label, first found wins; else the dataset's
// classes, which then must match the output count. The count is always checked.
import path from 'node:path';
import { readJsonFile, readSideText } from './read-json.js';

async function namesIn(dir: string): Promise<{ names: string[]; file: string } | null> {
  const json = path.join(dir, 'classes.json');
  const parsed = await readJsonFile(json);
  if (parsed !== undefined) {
    if (!Array.isArray(parsed) || !parsed.every((c) => typeof c === 'string'))
      throw new Error(`${json}: expected a JSON array of class names`);
    return { names: parsed as string[], file: json };
  }
  const txt = path.join(dir, 'labels.txt');
  const text = await readSideText(txt);
  if (text !== undefined) {
    const names = text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);
    return { names, file: txt };
  }
  const cfgFile = path.join(dir, 'config.json');
  const cfg = (await readJsonFile(cfgFile)) as { id2label?: unknown } | undefined;
  if (cfg !== undefined && typeof cfg === 'object' && cfg !== null && cfg.id2label !== undefined) {
    const map = cfg.id2label as Record<string, unknown>;
    const entries = typeof map === 'object' && map !== null ? Object.entries(map) : [];
    const names: string[] = [];
    for (const [k, v] of entries) {
      const i = Number(k);
      if (!Number.isInteger(i) || i < 0 || i >= entries.length || typeof v !== 'string' || names[i] !== undefined)
        throw new Error(`${cfgFile}: id2label must map each index 0..n-1 to a class name`);
      names[i] = v;
    }
    if (names.length === 0) throw new Error(`${cfgFile}: id2label names no classes`);
    return { names, file: `${cfgFile} (id2label)` };
  }
  return null;
}

/**
 * @param outputs the model's class output count
 * @param fallback the dataset's classes, used when the folder names none
 */
export async function readClassNames(dir: string, outputs: number, fallback: readonly string[]): Promise<string[]> {
  const found = await namesIn(dir);
  if (found === null) {
    // Without names, outputs can only be taken as the dataset's classes in order.
    if (outputs !== fallback.length) {
      throw new Error(
        `the model has ${outputs} outputs, the dataset ${fallback.length} classes: put a classes.json beside the model (a JSON array naming its outputs in order)`,
      );
    }
    return [...fallback];
  }
  if (found.names.length !== outputs)
    throw new Error(`the model has ${outputs} outputs but ${found.file} names ${found.names.length} classes`);
  if (new Set(found.names).size !== found.names.length) throw new Error(`${found.file}: a class name appears twice`);
  return found.names;
}
