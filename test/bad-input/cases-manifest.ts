// CSV manifests (issue 8, items 7 and 10, and a manifest's own ways to be wrong): a bad
// manifest is refused before any work, naming the file and the line; a bad row's image is
// skipped and named; UTF-8 and UTF-16 with a byte-order mark are read as text.
import { symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { CaseContext, CaseDef, Expectation } from './corpus-types.js';
import { digitPool, scoreWithModel } from './datasets.js';
import { digitPng, put } from './images.js';

const NOT_TF = [/TF_Status/, /\n\s+at .*\(.*:\d+:\d+\)/];

/** `data/images/<c>-<k>.png` for classes 0..2 (12 each) and their manifest lines. */
function images(dir: string, name = (c: number, k: number) => `${c}-${k}.png`): string[] {
  const lines: string[] = [];
  for (const c of [0, 1, 2]) {
    for (let k = 0; k < 12; k++) {
      put(join(dir, 'data', 'images', name(c, k)), digitPng(c, k));
      lines.push(`images/${name(c, k)},${c}`);
    }
  }
  return lines;
}

function manifestCase(
  name: string,
  issue: string,
  write: (dir: string, ctx: CaseContext) => Buffer | string,
  expect: Expectation,
): CaseDef {
  return {
    name,
    issue,
    build: async (ctx) => {
      const manifest = put(join(ctx.dir, 'data', 'manifest.csv'), write(ctx.dir, ctx));
      const pool = digitPool(join(ctx.dir, 'pool'));
      put(join(ctx.dir, 'out', '.keep'), '');
      const out = join(ctx.dir, 'out', 'scores.csv');
      const e = { ...expect, stderrNot: [...(expect.stderrNot ?? []), ...NOT_TF] };
      if (e.code === 0) Object.assign(e, { outputs: ['out/scores.csv'], mustExist: ['out/scores.csv'] });
      return { argv: scoreWithModel(manifest, pool, out, ctx.shared.model3), expect: e };
    },
  };
}

const csv = (lines: string[]) => `path,label\n${lines.join('\n')}\n`;
const refused = (problem: RegExp[], named = ['manifest.csv']): Expectation => ({ code: 'refused', named, problem });
const skipped = (named: string[], problem: RegExp[]): Expectation => ({ code: 0, named, problem, report: true });
const valid: Expectation = { code: 0, named: [], problem: [], stderrNot: [/not found|garbage|encoding/i] };
const accented = (c: number, k: number) => `zéro-${c}-${k}.png`;

export const MANIFEST_CASES: CaseDef[] = [
  manifestCase(
    'csv-row-is-a-link-out-of-the-root',
    '7',
    (dir, ctx) => {
      const lines = images(dir);
      symlinkSync(ctx.shared.outsideImage, join(dir, 'data', 'images', 'elsewhere.png'));
      return csv([...lines, 'images/elsewhere.png,1']);
    },
    { ...skipped(['elsewhere.png'], [/outside|leaves|out of the|root|link/i]) },
  ),
  manifestCase(
    'csv-absolute-path-outside',
    'own',
    (dir, ctx) => csv([...images(dir), `${ctx.shared.outsideImage},1`]),
    { code: 'skip-or-refuse', named: ['outside.png'], problem: [/outside|root/i] },
  ),
  manifestCase(
    'csv-dot-dot-path',
    'own',
    (dir, ctx) => csv([...images(dir), `${relative(join(dir, 'data'), ctx.shared.outsideImage)},2`]),
    { code: 'skip-or-refuse', named: ['outside.png'], problem: [/outside|root/i] },
  ),
  manifestCase('csv-nul-in-a-path', 'own', (dir) => csv([...images(dir), 'images/0-\0-0.png,0']), {
    code: 'skip-or-refuse',
    named: ['manifest.csv'],
    problem: [/NUL|null|invalid|control character/i],
  }),
  manifestCase(
    'csv-row-file-missing',
    'own',
    (dir) => csv([...images(dir), 'images/gone.png,1']),
    skipped(['gone.png'], [/not found|missing|does not exist|no such/i]),
  ),
  manifestCase(
    'csv-utf16le-with-bom',
    '10',
    (dir) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv(images(dir, accented)), 'utf16le')]),
    valid,
  ),
  manifestCase(
    'csv-utf16be-with-bom',
    '10',
    (dir) => {
      const le = Buffer.from(csv(images(dir, accented)), 'utf16le');
      return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(le).swap16()]);
    },
    valid,
  ),
  manifestCase(
    'csv-utf8-with-bom',
    'own',
    (dir) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv(images(dir, accented)), 'utf8')]),
    valid,
  ),
  manifestCase(
    'csv-latin1',
    '10',
    (dir) => Buffer.from(csv(images(dir, accented)), 'latin1'),
    refused([/encoding|UTF-8|Latin|not valid text/i, /line \d+/]),
  ),
  manifestCase(
    'csv-utf16-without-bom',
    '10',
    (dir) => Buffer.from(csv(images(dir)), 'utf16le'),
    refused([/encoding|UTF|not valid text|NUL|null/i]),
  ),
  manifestCase(
    'csv-path-column-missing',
    'own',
    (dir) => `picture,label\n${images(dir).join('\n')}\n`,
    refused([/"path"|path column|column "?path/i]),
  ),
  manifestCase(
    'csv-duplicate-header',
    'own',
    (dir) =>
      `path,label,label\n${images(dir)
        .map((l) => `${l},x`)
        .join('\n')}\n`,
    refused([/twice|duplicate/i]),
  ),
  manifestCase(
    'csv-row-with-too-many-columns',
    'own',
    (dir) => {
      const lines = images(dir);
      lines[1] = `${lines[1]},extra`;
      return csv(lines);
    },
    refused([/line 3/, /fields|columns/i]),
  ),
  manifestCase('csv-empty-file', 'own', () => '', refused([/empty/i])),
  manifestCase('csv-header-only', 'own', () => 'path,label\n', refused([/no images|only a header|no rows|empty/i])),
  manifestCase(
    'csv-unterminated-quote',
    'own',
    (dir) => csv([...images(dir), '"images/0-0.png,0']),
    refused([/quote|unterminated/i, /line \d+/]),
  ),
];
