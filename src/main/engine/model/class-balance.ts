// A class a reviewer builds by hand ('other': a few hundred marked samples beside tens of
// thousands of labeled ones) is drawn as often as an average class, so its examples weigh in
// training as much as a known class's do. Measured on 20,000 digits with 200 marked
// distractors (`npm run bench -- other`, docs/other-class.md): held-out distractors called
// 'other' 37% -> 88%.
// Repeated indices, not loss weights: each repeat gets its own random shift, so the copies
// are new views rather than the same gradient counted twice.

/** The training indices with class `cls`'s entries repeated to an average class's count. */
export function balanceClass(
  indices: ArrayLike<number>,
  labels: ArrayLike<number>,
  cls: number,
): { indices: Int32Array; labels: Int32Array } {
  const n = indices.length;
  if (labels.length !== n) throw new Error(`labels (${labels.length}) and indices (${n}) differ in length`);
  const own: number[] = [];
  const others = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const y = labels[i] as number;
    if (y === cls) own.push(i);
    else others.set(y, (others.get(y) ?? 0) + 1);
  }
  let rest = 0;
  for (const c of others.values()) rest += c;
  const repeats = own.length === 0 || others.size === 0 ? 1 : Math.max(1, Math.round(rest / others.size / own.length));
  const outIdx = Int32Array.from(indices);
  const outLab = Int32Array.from(labels);
  if (repeats === 1) return { indices: outIdx, labels: outLab };
  const m = n + own.length * (repeats - 1);
  const idx = new Int32Array(m);
  const lab = new Int32Array(m);
  idx.set(outIdx);
  lab.set(outLab);
  let at = n;
  for (let r = 1; r < repeats; r++)
    for (const i of own) {
      idx[at] = outIdx[i] as number;
      lab[at++] = cls;
    }
  return { indices: idx, labels: lab };
}
