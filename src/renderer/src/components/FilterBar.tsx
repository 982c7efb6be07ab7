import type { ProjectInfo } from '../../../shared/api';
import { ANY, UNLABELED, type DecisionFilter, type DoubtTab, type QueueFilter } from '../queue/filter';
import { DOUBT_TAB_TITLES } from '../queue/describe';
import { keepFocus } from './keep-focus';

const TABS: DoubtTab[] = ['all', 'lowConfidence', 'ood', 'labelIssue'];

export function FilterBar({
  project,
  filter,
  counts,
  shown,
  onChange,
}: {
  project: ProjectInfo;
  filter: QueueFilter;
  counts: Record<DoubtTab, number>;
  shown: number;
  onChange: (f: QueueFilter) => void;
}) {
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
          </button>
        ))}
      </div>
      <label className="inline">
        Predicted
        <select
          aria-label="Filter by predicted class"
          value={filter.predicted}
          onChange={(e) => {
            onChange({ ...filter, predicted: Number(e.target.value) });
            e.target.blur();
          }}
        >
          <option value={ANY}>any</option>
          {project.classes.map((c, i) => (
            <option key={c} value={i}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <label className="inline">
        Given
        <select
          aria-label="Filter by given label"
          value={filter.given}
          onChange={(e) => {
            onChange({ ...filter, given: Number(e.target.value) });
            e.target.blur();
          }}
        >
          <option value={ANY}>any</option>
          <option value={UNLABELED}>unlabeled</option>
          {project.labels.map((c, i) => (
            <option key={c} value={i}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <label className="inline">
        Show
        <select
          aria-label="Filter by decision"
          value={filter.decision}
          onChange={(e) => {
            onChange({ ...filter, decision: e.target.value as DecisionFilter });
            e.target.blur();
          }}
        >
          <option value="all">all</option>
          <option value="toReview">to review</option>
          <option value="decided">decided</option>
        </select>
      </label>
      <span className="muted shown">{shown.toLocaleString()} shown</span>
    </div>
  );
}
