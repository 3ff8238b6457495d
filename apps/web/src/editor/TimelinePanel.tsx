import { segmentTimeline } from '@cairn/playbook';
import { useMemo, useState } from 'react';
import { Empty } from '../layout/States';
import { useEditor } from './context';
import { atDay, axisOf, pathOptions, segmentOfPath, timelineRows } from './timeline-view';

/**
 * The 30/60/90 view of the draft: a day axis, one row per step with a bar from the earliest to the
 * latest day it can fire (open-ended when a person, an event or a date decides), milestones as
 * diamonds at their target day, per segment path. Reads the plan the live validation compiled;
 * clicking a row selects the step.
 */
export function TimelinePanel() {
  const { plan, selected, focusNode, hasErrors } = useEditor((s) => ({
    plan: s.plan,
    selected: s.selectedNodes,
    focusNode: s.focusNode,
    hasErrors: s.diagnostics.some((d) => d.severity === 'error'),
  }));
  const [path, setPath] = useState('');
  const options = useMemo(() => (plan ? pathOptions(plan) : []), [plan]);
  const value = options.some((o) => o.value === path) ? path : '';
  const timeline = useMemo(() => (plan ? segmentTimeline(plan, segmentOfPath(value)) : null), [plan, value]);
  const rows = useMemo(() => (plan && timeline ? timelineRows(plan, timeline) : []), [plan, timeline]);

  if (!plan || !timeline) {
    return (
      <section className="timeline-view" aria-label="Timeline" data-testid="timeline-view">
        <Empty>{hasErrors ? 'The draft does not compile: fix the problems listed below to see when each step can fire.' : 'Compiling the draft…'}</Empty>
      </section>
    );
  }
  const axis = axisOf(timeline);
  return (
    <section className="timeline-view" aria-label="Timeline" data-testid="timeline-view">
      <div className="timeline-head">
        <h2>Timeline</h2>
        <label>
          Segment path{' '}
          <select value={value} onChange={(e) => setPath(e.target.value)} disabled={options.length < 2}>
            {options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <span className="muted">Days since enrollment: a bar runs from the earliest to the latest day a step can fire; a fading bar has no latest day (the row says who decides). Click a row to select its step; T goes back to the canvas.</span>
      </div>
      <div className="timeline-grid">
        <div className="timeline-axis" aria-hidden>
          <span className="timeline-label" />
          <div className="timeline-track">
            {axis.ticks.map((day) => (
              <span key={day} className={`timeline-tick${day % 90 === 0 || day <= 90 ? ' is-major' : ''}`} style={{ left: atDay(day, axis.end) }}>
                {day === 0 ? 'Day 0' : day}
              </span>
            ))}
          </div>
        </div>
        <ol className="timeline-rows">
          {rows.map((row) => {
            const right = row.latestDay === null ? axis.end : row.latestDay;
            const isSelected = selected.includes(row.stepId);
            return (
              <li key={row.stepId} className={`timeline-row${isSelected ? ' is-selected' : ''}${row.milestone ? ' is-milestone' : ''}`} data-testid={`timeline-${row.stepId}`}>
                <button
                  type="button"
                  className="timeline-label"
                  aria-pressed={isSelected}
                  onClick={() => focusNode(row.stepId)}
                  title={`Select ${row.title}`}
                >
                  <span className="timeline-title">{row.title}</span>
                  <span className="muted">
                    {row.typeLabel} · {row.when}
                    {row.touch ? ` · ${row.touch}` : ''}
                    {row.milestone ? ` · target day ${row.milestone.targetDay}${row.milestone.lateByDesign ? ', late even on the fastest path' : ''}` : ''}
                  </span>
                </button>
                <div className="timeline-track" aria-hidden>
                  {axis.ticks.map((day) => (
                    <span key={day} className="timeline-gridline" style={{ left: atDay(day, axis.end) }} />
                  ))}
                  <span
                    className={`timeline-bar${row.latestDay === null ? ' is-open' : ''}${row.latestDay === row.earliestDay ? ' is-point' : ''}`}
                    style={{ left: atDay(row.earliestDay, axis.end), width: `calc(${atDay(right - row.earliestDay, axis.end)} + 2px)` }}
                  />
                  {row.milestone && (
                    <span
                      className={`timeline-diamond${row.milestone.lateByDesign ? ' is-late' : ''}`}
                      style={{ left: atDay(row.milestone.targetDay, axis.end) }}
                      title={`${row.milestone.name}: target day ${row.milestone.targetDay}`}
                    />
                  )}
                </div>
              </li>
            );
          })}
        </ol>
      </div>
      {Object.keys(timeline.decided).length > 0 && (
        <p className="muted" data-testid="timeline-decided">
          On this path{' '}
          {Object.entries(timeline.decided)
            .map(([id, handles]) => `“${plan.steps[id]?.label ?? id}” goes ${handles.join(' or ')}`)
            .join('; ')}
          .
        </p>
      )}
    </section>
  );
}
