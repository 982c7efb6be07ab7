// The small JSON and text files beside a user's model (preprocessing, class names), read
// through the regular-file checks with a size limit, every failure naming the file.
import { existsSync } from 'node:fs';
import { readRegularFile } from '../../datasets/regular-file.js';

const SIDE_FILE_LIMIT = 16 * 1024 * 1024;

/** The file's text, or undefined when there is no such file. */
export async function readSideText(file: string): Promise<string | undefined> {
  if (!existsSync(file)) return undefined;
  try {
    return (await readRegularFile(file, SIDE_FILE_LIMIT)).toString('utf8');
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`, { cause: err });
  }
}

/** The file's parsed JSON, or undefined when there is no such file. */
export async function readJsonFile(file: string): Promise<unknown> {
  const text = await readSideText(file);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`, { cause: err });
  }
}
