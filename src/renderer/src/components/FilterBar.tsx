import type { ProgressEvent, ProjectInfo } from '../../../shared/api';
import {
  ANY,
  UNLABELED,
  type DecisionFilter,
  type DoubtTab,
  type FilesFilter,
  type QueueFilter,
} from '../queue/filter';
import { DOUBT_TAB_TITLES, labelTabNote, progressPercent } from '../queue/describe';
import { keepFocus } from './keep-focus';

const TABS: DoubtTab[] = ['all', 'lowConfidence', 'ood', 'labelIssue'];

export function FilterBar({
  project,
  filter,
  counts,
  shown,
  onChange,
  labelCheck,
}: {
  project: ProjectInfo;
  filter: QueueFilter;
  counts: Record<DoubtTab, number>;
  shown: number;
  onChange: (f: QueueFilter) => void;
  labelCheck: ProgressEvent | null;
}) {
  const checking = labelCheck ? progressPercent(labelCheck.fraction) : null;
  const note = filter.doubt === 'labelIssue' ? labelTabNote(labelCheck, project.heldOutAccuracy) : null;
  return (
    <div className="filter-bar">
      <div role="tablist" aria-label="Kind of doubt" className="tabs" onMouseDown={keepFocus}>
        {TABS.map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            aria-selected={filter.doubt === t}
            className={filter.doubt === t ? 'tab active' : 'tab'}
            onClick={() => onChange({ ...filter, doubt: t })}
          >
            {DOUBT_TAB_TITLES[t]} <span className="count">{counts[t].toLocaleString()}</span>
            {t === 'labelIssue' && checking !== null && (
              <span className="tab-checking" title="The label check is running">
                {' '}
                checking {checking}%
              </span>
            )}
          </button>
        ))}
      </div>
      <FilterSelect
        label="Predicted"
        name="Filter by predicted class"
        value={String(filter.predicted)}
        options={[[String(ANY), 'any'], ...project.classes.map((c, i): [string, string] => [String(i), c])]}
        onChange={(v) => onChange({ ...filter, predicted: Number(v) })}
      />
      <FilterSelect
        label="Given"
        name="Filter by given label"
        value={String(filter.given)}
        options={[
          [String(ANY), 'any'],
          [String(UNLABELED), 'unlabeled'],
          ...project.labels.map((c, i): [string, string] => [String(i), c]),
        ]}
        onChange={(v) => onChange({ ...filter, given: Number(v) })}
      />
      <FilterSelect
        label="Show"
        name="Filter by decision"
        value={filter.decision}
        options={[
          ['all', 'all'],
          ['toReview', 'to review'],
          ['decided', 'decided'],
        ]}
        onChange={(v) => onChange({ ...filter, decision: v as DecisionFilter })}
      />
      <FilterSelect
        label="Files"
        name="Filter by identical files"
        value={filter.files}
        options={[
          ['all', 'any'],
          ['copies', 'duplicates'],
          ['labelConflict', 'label conflicts'],
        ]}
        onChange={(v) => onChange({ ...filter, files: v as FilesFilter })}
      />
      <span className="muted shown">{shown.toLocaleString()} shown</span>
      {note && (
        <p role="note" className="filter-note muted">
          {note}
        </p>
      )}
    </div>
  );
}

/** A labelled drop-down that hands focus back on change: the next key is a decision again. */
function FilterSelect(p: {
  label: string;
  name: string;
  value: string;
  options: [value: string, text: string][];
  onChange: (value: string) => void;
}) {
  return (
    <label className="inline">
      {p.label}
      <select
        aria-label={p.name}
        value={p.value}
        onChange={(e) => {
          p.onChange(e.target.value);
          e.target.blur();
        }}
      >
        {p.options.map(([v, t]) => (
          <option key={v} value={v}>
            {t}
          </option>
        ))}
      </select>
    </label>
  );
}
