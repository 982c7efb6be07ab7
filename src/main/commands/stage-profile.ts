// Wall and CPU time per stage of a command (UNSURE_PROFILE=1): each progress phase is a
// stage. CPU is the whole process's (every thread, TensorFlow's included), so CPU / wall
// says how many cores a stage kept busy: 2.0 on a 2-core machine is all of them.
export interface ProgressBar<P> {
  update: (p: P) => void;
  done: () => void;
}

/** `bar`, also calling `enter` with "task:phase" whenever a task enters a new phase. */
export function onNewPhase<P extends { task: string; phase: string }>(
  bar: ProgressBar<P>,
  enter: (stage: string) => void,
): ProgressBar<P> {
  let last = '';
  return {
    done: bar.done,
    update: (p: P) => {
      const at = `${p.task}:${p.phase}`;
      if (at !== last) enter((last = at));
      bar.update(p);
    },
  };
}

export interface StageTime {
  stage: string;
  wallMs: number;
  cpuMs: number;
}

/** enter(stage) at each new stage (onNewPhase), finish() at the end. */
export function stageProfiler(): { enter: (stage: string) => void; finish: () => StageTime[] } {
  const stages: StageTime[] = [];
  let current = 'start';
  let wall0 = performance.now();
  let cpu0 = process.cpuUsage();
  const close = (next: string) => {
    const cpu = process.cpuUsage(cpu0);
    stages.push({ stage: current, wallMs: performance.now() - wall0, cpuMs: (cpu.user + cpu.system) / 1000 });
    current = next;
    wall0 = performance.now();
    cpu0 = process.cpuUsage();
  };
  return {
    enter: close,
    finish() {
      close('end');
      // Stages met more than once (a phase that comes back) are summed, in first-seen order.
      const byName = new Map<string, StageTime>();
      for (const s of stages) {
        const t = byName.get(s.stage);
        if (t) {
          t.wallMs += s.wallMs;
          t.cpuMs += s.cpuMs;
        } else byName.set(s.stage, { ...s });
      }
      return [...byName.values()];
    },
  };
}

export function formatStages(stages: readonly StageTime[]): string {
  const lines = ['stage                         wall s   cpu s   cores'];
  for (const s of stages)
    lines.push(
      `${s.stage.padEnd(28)} ${(s.wallMs / 1000).toFixed(2).padStart(7)} ${(s.cpuMs / 1000).toFixed(2).padStart(7)} ` +
        `${(s.wallMs > 0 ? s.cpuMs / s.wallMs : 0).toFixed(2).padStart(7)}`,
    );
  return `${lines.join('\n')}\n`;
}
