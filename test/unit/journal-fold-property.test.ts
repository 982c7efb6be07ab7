// Property: for random journals, the label a tile shows (the renderer's path), the label
// training uses (the service's path: the journal file read back, folded over the dataset's
// labels) and the label the export manifest writes are the same. Journals are written the
// way the app writes them (two clients' decisionEntries/undoEntry, synced in interleaved
// chunks), with same-millisecond entries, undone batches and a few old entries whose
// `after` contradicts their action (journals from before appendJournal checked that).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { OTHER_LABEL, type JournalEntry, type Queue, type Samples } from '../../src/shared/api.js';
import {
  entryProblem,
  finalLabels,
  foldJournal,
  givenLabelsOf,
  mergeJournals,
  type DecisionEntry,
} from '../../src/shared/journal-fold.js';
import { decisionEntries, undoEntry, type Decision } from '../../src/renderer/src/journal/decide.js';
import { givenLabelsOfQueue } from '../../src/renderer/src/journal/given-labels.js';
import { joinQueue } from '../../src/renderer/src/queue/view.js';
import { mulberry32 } from '../../src/main/engine/datasets/random.js';
import { openJournal } from '../../src/main/engine/review/journal.js';
import { exportDataset, MANIFEST_JSONL } from '../../src/main/engine/export/export-dataset.js';
import type { EngineSample } from '../../src/main/engine/engine-types.js';
import { pixelsOf } from './export-fixtures.js';

const root = mkdtempSync(path.join(tmpdir(), 'unsure-fold-prop-'));
after(() => rmSync(root, { recursive: true, force: true }));

const classes = ['0', '1', '2'];
const samples: EngineSample[] = [
  { id: 'sample-a', path: 'a.png', label: '0', split: 'train', file: null },
  { id: 'sample-b', path: 'b.png', label: '1', split: 'train', file: null },
  { id: 'sample-c', path: 'c.png', label: '2', split: 'train', file: null },
  { id: 'sample-d', path: 'd.png', label: null, split: 'pool', file: null },
  { id: 'sample-e', path: 'e.png', label: null, split: 'pool', file: null },
  { id: 'sample-f', path: 'f.png', label: '1', split: 'pool', file: null },
];
const predicted = [1, 1, 0, 2, 0, 2];
const projectLabels = [...classes, OTHER_LABEL];
// The queue the renderer holds: the wire's samples and ranking (as the service builds them,
// given: index into labels), joined by the renderer's own joinQueue.
const wireSamples: Samples = {
  openId: 'o',
  ids: samples.map((s) => s.id),
  split: samples.map((s) => (s.split === 'train' ? 0 : 1)),
  given: samples.map((s) => (s.label === null ? -1 : projectLabels.indexOf(s.label))),
};
const ranking: Queue = {
  modelVersion: 'm',
  revision: 'r',
  openId: 'o',
  order: samples.map((_, i) => i),
  predicted,
  confidence: samples.map(() => 0.5),
  flags: samples.map(() => 0),
};
const queue = joinQueue(wireSamples, ranking);

interface Journals {
  /** What each client wrote (its IndexedDB), in its own order. */
  clients: JournalEntry[][];
  /** The journal file: the clients' entries synced in interleaved chunks. */
  file: JournalEntry[];
}

function randomJournals(seed: number): Journals {
  const r = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  let ids = 0;
  const newId = () => `s${seed}-${String(ids++).padStart(5, '0')}-${Math.floor(r() * 1e6)}`;
  const clients: JournalEntry[][] = [[], []];
  const batches: string[] = [];
  // Few distinct milliseconds, so many entries share one.
  const base = Date.UTC(2026, 4, 1, 9, 0, 0);
  const at = () => new Date(base + Math.floor(r() * 6)).toISOString();
  const steps = 1 + Math.floor(r() * 14);
  for (let k = 0; k < steps; k++) {
    const c = Math.floor(r() * 2);
    const mine = clients[c]!;
    const roll = r();
    if (roll < 0.15 && batches.length > 0) {
      mine.push(undoEntry(pick(batches), { at: at(), reviewer: `r${c}`, newId }));
      continue;
    }
    if (roll < 0.22) {
      // An entry written before appendJournal refused contradictions.
      const s = pick(samples);
      const action = pick(['keep', 'other', 'skip', 'relabel', 'accept'] as const);
      const bad: DecisionEntry = {
        kind: 'decision',
        entryId: newId(),
        batchId: newId().padEnd(8, '0'),
        sampleId: s.id,
        action,
        before: s.label,
        after: action === 'relabel' || action === 'accept' ? null : pick(['0', '2', null]),
        at: at(),
        reviewer: `r${c}`,
      };
      batches.push(bad.batchId);
      mine.push(bad);
      continue;
    }
    // A decision as the renderer makes it, over one or several samples (a bulk decision).
    const fold = foldJournal(mine, givenLabelsOfQueue(queue, projectLabels));
    const targets = samples
      .filter(() => r() < 0.4)
      .map((s) => {
        const i = samples.indexOf(s);
        const st = fold.samples.get(s.id);
        return {
          sampleId: s.id,
          given: s.label,
          predicted: classes[predicted[i]!]!,
          current: st?.decided ? st.label : null,
        };
      });
    const decision: Decision =
      r() < 0.25
        ? { action: 'relabel', label: pick(classes) }
        : { action: pick(['other', 'accept', 'keep', 'skip'] as const) };
    const batchId = newId().padEnd(8, '0');
    const made = decisionEntries(decision, targets, { batchId, at: at(), reviewer: `r${c}`, newId });
    for (const e of made) assert.equal(entryProblem(e, givenOf(e.sampleId)), null, 'appendJournal accepts it');
    if (made.length > 0) batches.push(batchId);
    mine.push(...made);
  }
  // Sync: each client pushes its entries in chunks, and the chunks land in either order.
  const chunks: JournalEntry[][] = [];
  for (const list of clients) {
    for (let i = 0; i < list.length;) {
      const n = 1 + Math.floor(r() * 3);
      chunks.push(list.slice(i, i + n));
      i += n;
    }
  }
  const file: JournalEntry[] = [];
  while (chunks.length > 0) file.push(...chunks.splice(Math.floor(r() * chunks.length), 1)[0]!);
  return { clients, file };
}

function givenOf(id: string): string | null {
  return samples.find((s) => s.id === id)!.label;
}

function shuffled<T>(xs: readonly T[], r: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** What a tile shows: the decision's label when decided (Tile: "→ label"), else the given label. */
function tileLabels(clientLocal: readonly JournalEntry[], fromMain: readonly JournalEntry[]): (string | null)[] {
  // useJournal: merge this browser's entries with the main side's, fold over the queue's given labels.
  const fold = foldJournal(mergeJournals(clientLocal, fromMain), givenLabelsOfQueue(queue, projectLabels));
  return queue.ids.map((id, row) => {
    const s = fold.samples.get(id);
    const g = queue.given[row]!;
    return s?.decided ? s.label : g >= 0 ? projectLabels[g]! : null;
  });
}

let dirs = 0;
async function trainingLabels(file: readonly JournalEntry[]): Promise<(string | null)[]> {
  // The service: the journal file read back, folded over the dataset's labels (what train gets).
  const dir = path.join(root, `j${dirs++}`);
  await openJournal(dir).append(file);
  return finalLabels(samples, foldJournal(openJournal(dir).entries(), givenLabelsOf(samples)));
}

const pixels = pixelsOf(samples.length);
async function manifestLabels(file: readonly JournalEntry[]): Promise<(string | null)[]> {
  const fold = foldJournal(file, givenLabelsOf(samples));
  const dest = path.join(root, `export${dirs++}`);
  await exportDataset({
    dest,
    samples,
    pixels,
    decisions: fold.samples,
    labels: finalLabels(samples, fold),
    sourceRoots: [path.join(root, 'no-source')],
  });
  const byId = new Map<string, string | null>();
  for (const line of readFileSync(path.join(dest, MANIFEST_JSONL), 'utf8').split('\n').filter(Boolean)) {
    const row = JSON.parse(line) as { id: string; label: string | null };
    byId.set(row.id, row.label === '' ? null : row.label);
  }
  return samples.map((s) => byId.get(s.id) ?? null);
}

describe('one fold: tile, training and export agree', () => {
  test('400 random journals: the tile, training and a shuffled file order give the same labels', async () => {
    let decidedSomething = 0;
    let undid = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const { clients, file } = randomJournals(seed);
      const train = await trainingLabels(file);
      const where = `seed ${seed}`;
      // Each client after a full sync, and before syncing the other's entries is not compared:
      // the tiles must agree once both have the same entries.
      for (const local of clients) assert.deepEqual(tileLabels(local, file), train, `${where}: tile vs training`);
      const shuffledFile = shuffled(file, mulberry32(seed * 7919));
      assert.deepEqual(
        finalLabels(samples, foldJournal(shuffledFile, givenLabelsOf(samples))),
        train,
        `${where}: file order`,
      );
      if (train.some((l, i) => l !== samples[i]!.label)) decidedSomething++;
      if (file.some((e) => e.kind === 'undo')) undid++;
    }
    // The generator reaches the cases the property is about.
    assert.ok(decidedSomething > 200, `${decidedSomething} journals changed a label`);
    assert.ok(undid > 100, `${undid} journals undid a batch`);
  });

  test('the export manifest writes the labels training uses (real export writer)', async () => {
    for (const seed of [3, 17, 42, 99, 256]) {
      const { file } = randomJournals(seed);
      assert.deepEqual(await manifestLabels(file), await trainingLabels(file), `seed ${seed}`);
    }
  });
});
