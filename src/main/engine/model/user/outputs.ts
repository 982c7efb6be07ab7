// Which of a model's outputs are its class scores and its features. By name first: an
// output named logit* gives logits; embedding/feature/penultimate gives features; prob* or
// softmax* gives probabilities. A lone unnamed output is probed: rows of non-negative values
// summing to 1 are probabilities, anything else is taken as logits. Probabilities become
// log-probabilities (softmax(log p) = p, so MSP, margin and entropy stay exact; energy
// becomes constant and carries no signal). Without a feature output, logits stand in.
import type { Network } from './network.js';

export interface OutputChoice {
  /** The class output, and whether its values are probabilities (logged before use). */
  classOutput: string;
  probabilities: boolean;
  features: string | null;
  notes: string[];
}

const FEATURE_NAME = /embed|feature|penultimate/i;
const LOGIT_NAME = /logit/i;
const PROB_NAME = /prob|softmax/i;

export function looksLikeProbabilities(values: Float32Array, cols: number): boolean {
  if (cols < 2 || values.length % cols !== 0) return false;
  for (let r = 0; r < values.length; r += cols) {
    let sum = 0;
    for (let j = 0; j < cols; j++) {
      const v = values[r + j]!;
      if (!(v >= 0)) return false;
      sum += v;
    }
    if (Math.abs(sum - 1) > 1e-3) return false;
  }
  return true;
}

/** `probe` holds each output's values for `rows` probe images. */
export function chooseOutputs(
  net: Pick<Network, 'outputs' | 'roles'>,
  probe: Map<string, Float32Array>,
  rows: number,
  where: string,
): OutputChoice {
  const names = net.outputs.map((o) => o.name);
  const features = net.roles.features ?? names.find((n) => FEATURE_NAME.test(n)) ?? null;
  const rest = names.filter((n) => n !== features);
  const logits = net.roles.logits ?? rest.find((n) => LOGIT_NAME.test(n));
  const probs = net.roles.probabilities ?? rest.find((n) => PROB_NAME.test(n));
  const notes: string[] = [];
  let classOutput: string;
  let probabilities: boolean;
  if (logits) {
    classOutput = logits;
    probabilities = false;
    notes.push(`logits: output '${logits}'`);
  } else if (probs) {
    classOutput = probs;
    probabilities = true;
    notes.push(`logits: log of the probabilities of output '${probs}'`);
  } else if (rest.length === 1) {
    classOutput = rest[0]!;
    const values = probe.get(classOutput)!;
    probabilities = looksLikeProbabilities(values, values.length / rows);
    notes.push(
      probabilities
        ? `logits: log of output '${classOutput}', whose rows sum to 1 (probabilities)`
        : `logits: output '${classOutput}' (its rows do not sum to 1, so taken as logits)`,
    );
  } else {
    throw new Error(
      `${where}: cannot tell which output gives the classes among ${names.map((n) => `'${n}'`).join(', ')}: ` +
        `name it 'logits' (or 'probabilities') and the feature output 'embedding'`,
    );
  }
  if (features) notes.push(`features: output '${features}' (${probe.get(features)!.length / rows}-d)`);
  else notes.push('no feature output: the logits stand in for features (kNN then compares output patterns)');
  return { classOutput, probabilities, features, notes };
}
