// What the colour benchmark prints: both sides' figures side by side, Unsure's stage times,
// and a final table of issue 11's targets with Unsure's figure, the peer's, and met/not met.
import { FAR_KINDS, NEAR_KINDS } from './build.js';
import type { Stage } from './jobs.js';
import type { LabelFigures, LoopFigures, PoolFigures } from './judge.js';
import type { Truth } from './truth.js';

export interface SideFigures {
  /** null where the job failed or its CSV was refused (the reason is printed as it happens). */
  pool: PoolFigures | null;
  labels: LabelFigures | null;
  loop: LoopFigures | null;
  /** The main job's wall seconds, each run; their median; the cores kept busy (CPU / wall, median). */
  walls: number[];
  wallSec: number;
  cores: number;
}

export interface ColourReport {
  truth: Truth;
  ours: SideFigures;
  theirs: SideFigures | null;
  profile: { stages: Stage[]; notes: string[] };
  runs: number;
}

/** A plain text table, first column left-aligned and the rest right-aligned (percentages too). */
function formatTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, j) => Math.max(...rows.map((r) => (r[j] ?? '').length)));
  const line = (r: string[]) => r.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n') + '\n';
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const f3 = (x: number) => x.toFixed(3);

interface Target {
  line: string;
  get: (s: SideFigures, peer: SideFigures | null) => number | undefined;
  ok: (x: number) => boolean;
  show: (x: number) => string;
  /** Which way is better, for the "beats peer" column. */
  lower?: true;
}

function targets(truth: Truth): Target[] {
  const kinds = (names: string[]) => names.filter((k) => Object.values(truth.pool).some((p) => p.kind === k));
  return [
    { line: 'accuracy, known classes >= 80%', get: (s) => s.pool?.accuracy, ok: (x) => x >= 0.8, show: pct },
    { line: 'ood AUROC, all kinds >= 0.92', get: (s) => s.pool?.auroc, ok: (x) => x >= 0.92, show: f3 },
    ...kinds(FAR_KINDS).map((k) => ({
      line: `ood AUROC, far: ${k} >= 0.98`,
      get: (s: SideFigures) => s.pool?.perKind[k]?.auroc,
      ok: (x: number) => x >= 0.98,
      show: f3,
    })),
    ...kinds(NEAR_KINDS).map((k) => ({
      line: `ood AUROC, near: ${k} >= 0.75`,
      get: (s: SideFigures) => s.pool?.perKind[k]?.auroc,
      ok: (x: number) => x >= 0.75,
      show: f3,
    })),
    { line: 'FPR@95%TPR <= 40%', get: (s) => s.pool?.fpr95, ok: (x) => x <= 0.4, show: pct, lower: true },
    { line: 'label issues AUROC >= 0.93', get: (s) => s.labels?.auroc, ok: (x) => x >= 0.93, show: f3 },
    { line: 'label issues precision@k >= 0.65', get: (s) => s.labels?.precisionAtK, ok: (x) => x >= 0.65, show: f3 },
    {
      line: "loop: held-out distractors 'other' >= 80%",
      get: (s) => s.loop?.heldOutOther,
      ok: (x) => x >= 0.8,
      show: pct,
    },
    {
      line: "loop: known photos 'other' <= 1%",
      get: (s) => s.loop?.knownOther,
      ok: (x) => x <= 0.01,
      show: pct,
      lower: true,
    },
    { line: 'loop: ood AUROC >= 0.97', get: (s) => s.loop?.auroc, ok: (x) => x >= 0.97, show: f3 },
    {
      line: 'job time, Unsure / peer <= 1.0',
      // The peer's own line is 1.0 by definition; no peer, no ratio.
      get: (s, peer) => (peer ? s.wallSec / peer.wallSec : undefined),
      ok: (x) => x <= 1.0,
      show: (x) => x.toFixed(2),
      lower: true,
    },
  ];
}

export function printColourReport(out: (s: string) => void, r: ColourReport): void {
  const { ours, theirs } = r;
  const cell = (x: number | undefined, show: (x: number) => string) =>
    x === undefined || Number.isNaN(x) ? '-' : show(x);
  const both = (label: string, get: (s: SideFigures) => number | undefined, show: (x: number) => string) => [
    label,
    cell(get(ours), show),
    theirs ? cell(get(theirs), show) : '-',
  ];
  const any = (get: (s: SideFigures) => number | undefined) => get(ours) ?? (theirs ? get(theirs) : undefined) ?? 0;
  const kinds = [...new Set(Object.values(r.truth.pool).map((p) => p.kind))]
    .filter((k) => k !== 'known')
    .sort((a, b) => [...NEAR_KINDS, ...FAR_KINDS].indexOf(a) - [...NEAR_KINDS, ...FAR_KINDS].indexOf(b));
  out('\nPool: known-class test photos and distractors (ood_score: distractors against known photos)\n');
  out(
    formatTable([
      ['figure', 'Unsure', 'Keras peer'],
      both(`accuracy (${any((s) => s.pool?.known)} known photos)`, (s) => s.pool?.accuracy, pct),
      both('ood AUROC, all kinds', (s) => s.pool?.auroc, f3),
      both('FPR@95%TPR', (s) => s.pool?.fpr95, pct),
      ...kinds.map((k) =>
        both(
          `  AUROC ${k} (${NEAR_KINDS.includes(k) ? 'near' : 'far'}, ${any((s) => s.pool?.perKind[k]?.n)})`,
          (s) => s.pool?.perKind[k]?.auroc ?? Number.NaN,
          f3,
        ),
      ),
    ]),
  );
  out(
    `\nLabel issues: ${r.truth.labelCount} training photos, ${Object.keys(r.truth.flipped).length} labels flipped (peer: in-sample 1 - p(given))\n`,
  );
  out(
    formatTable([
      ['figure', 'Unsure', 'Keras peer'],
      both('label_issue AUROC', (s) => s.labels?.auroc, f3),
      both(`precision@k (k = ${Object.keys(r.truth.flipped).length})`, (s) => s.labels?.precisionAtK, f3),
    ]),
  );
  out(`\nThe loop: ${r.truth.loopOther.length} distractors in other/, ${any((s) => s.loop?.heldOut)} held out\n`);
  out(
    formatTable([
      ['figure', 'Unsure', 'Keras peer'],
      both("held-out distractors predicted 'other'", (s) => s.loop?.heldOutOther, pct),
      both("known photos predicted 'other'", (s) => s.loop?.knownOther, pct),
      both('ood AUROC', (s) => s.loop?.auroc, f3),
    ]),
  );
  out(
    `\nSpeed: the whole default job (score --train --pool), cold, start to exit; median of ${r.runs} alternating pair(s)\n`,
  );
  out(
    formatTable([
      ['figure', 'Unsure', 'Keras peer'],
      both(
        'wall s (median)',
        (s) => s.wallSec,
        (x) => x.toFixed(1),
      ),
      [
        'wall s, each run',
        ours.walls.map((w) => w.toFixed(1)).join(' '),
        theirs?.walls.map((w) => w.toFixed(1)).join(' ') ?? '-',
      ],
      both(
        'cores kept busy (CPU / wall)',
        (s) => s.cores,
        (x) => x.toFixed(2),
      ),
    ]),
  );
  if (r.profile.stages.length) {
    out('\nUnsure stages, first main run (UNSURE_PROFILE=1)\n');
    out(
      formatTable([
        ['stage', 'wall s', 'cores'],
        ...r.profile.stages.map((s) => [s.stage, s.wallSec.toFixed(2), s.cores.toFixed(2)]),
      ]),
    );
  }
  for (const n of r.profile.notes) out(`  ${n}\n`);
  out(`\nTargets of issue 11 (the peer must be beaten by a clear margin on every line)\n`);
  out(
    formatTable([
      ['target', 'Unsure', 'Keras peer', 'Unsure met', 'beats peer'],
      ...targets(r.truth).map((t) => {
        const u = t.get(ours, theirs);
        const k = theirs ? t.get(theirs, theirs) : undefined;
        return [
          t.line,
          u === undefined ? '-' : t.show(u),
          k === undefined ? '-' : t.show(k),
          u === undefined ? '-' : t.ok(u) ? 'met' : 'not met',
          u === undefined || k === undefined || t.line.startsWith('job time')
            ? '-'
            : (t.lower ? u < k : u > k)
              ? 'yes'
              : 'no',
        ];
      }),
    ]),
  );
}
