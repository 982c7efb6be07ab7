// An ETA for progress reports that come without one (embedding, scoring, the label check):
// the rate since the report's task and phase began, carried forward. Stages that know their
// own rate (training, feature extraction) send etaSec and are left alone.

/** What an estimate needs of a progress report (EngineProgress and the API's ProgressEvent). */
export interface StageProgress {
  task: string;
  phase: string;
  /** 0..1 of the whole job. */
  fraction: number;
  etaSec?: number;
}

/** No estimate before this much time and progress: an early rate says little. */
const MIN_SECONDS = 2;
const MIN_FRACTION = 0.01;

interface Start {
  stage: string;
  t0: number;
  f0: number;
}

export class EtaEstimator {
  /** Per job: a background label check may report between another job's reports. */
  private readonly starts = new Map<string, Start>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** The report with etaSec filled in where it can be estimated. */
  fill<P extends StageProgress>(job: string, p: P): P {
    const stage = `${p.task}\n${p.phase}`;
    const t = this.now();
    const s = this.starts.get(job);
    if (!s || s.stage !== stage || p.fraction < s.f0) {
      this.starts.set(job, { stage, t0: t, f0: p.fraction });
      return p;
    }
    if (p.etaSec !== undefined) return p;
    const seconds = (t - s.t0) / 1000;
    const done = p.fraction - s.f0;
    if (seconds < MIN_SECONDS || done < MIN_FRACTION) return p;
    return { ...p, etaSec: Math.round((10 * Math.max(0, 1 - p.fraction) * seconds) / done) / 10 };
  }

  /** The job has ended: its next report starts the clock again. */
  end(job: string): void {
    this.starts.delete(job);
  }
}
