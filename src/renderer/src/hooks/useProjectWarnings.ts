// The main side's warnings about the project's files (a torn journal line left by a crash,
// ...) as notices: each shown once per project, not again on every project event.
import { useEffect, useRef } from 'react';
import type { ProjectInfo } from '../../../shared/api';

export function useProjectWarnings(project: ProjectInfo | null, onWarning: (text: string) => void): void {
  const shown = useRef(new Set<string>());
  const projectId = project?.projectId ?? '';
  const warnings = project?.warnings;
  useEffect(() => {
    for (const w of warnings ?? []) {
      const key = `${projectId}\n${w}`;
      if (shown.current.has(key)) continue;
      shown.current.add(key);
      onWarning(w);
    }
  }, [projectId, warnings, onWarning]);
}
