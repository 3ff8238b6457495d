import type { Segment, SegmentPreview } from '@cairn/contracts';
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client';
import { useResource } from '../api/use-resource';
import { Empty, ErrorState, Loading, ResourceView } from '../layout/States';
import { buildRule, type Join, OPS, type RuleRow, rowsFromRule, useDebounced } from './rule-rows';

/** How long the rule must stay unchanged before it is previewed (one request per pause, not per key). */
export const PREVIEW_DEBOUNCE_MS = 400;

const FIELDS = ['account.arr', 'account.plan', 'account.seats', 'account.region', 'account.industry', 'account.renewal_date', 'account.lifecycle_stage', 'metric.weekly_active_users', 'metric.seats_active', 'role.champion', 'role.sponsor'];

const NEW_ROW: RuleRow = { field: 'account.arr', op: 'gte', value: '50000' };

function Checks({ checks }: { checks: SegmentPreview['accounts'][number]['checks'] }) {
  return (
    <ul className="checks">
      {checks.map((c, i) => (
        <li key={i} className={c.holds ? 'check-holds' : 'check-fails'}>
          {c.holds ? '✓' : '✗'} {c.condition}
        </li>
      ))}
    </ul>
  );
}

function Preview({ join, rows }: { join: Join; rows: RuleRow[] }) {
  const built = useMemo(() => buildRule(join, rows), [join, rows]);
  const ruleJson = built.rule ? JSON.stringify(built.rule) : null;
  // The rule as it was a moment ago: typing does not send a request per key.
  const settled = useDebounced(ruleJson, PREVIEW_DEBOUNCE_MS);
  const [preview, setPreview] = useState<{ rule: string; data: SegmentPreview | null; error: string | null } | null>(null);

  useEffect(() => {
    if (!settled) return;
    let cancelled = false;
    setPreview((p) => ({ rule: settled, data: p?.data ?? null, error: null }));
    api.previewSegment({ rule: JSON.parse(settled), limit: 25 }).then(
      (data) => !cancelled && setPreview({ rule: settled, data, error: null }),
      (e: unknown) => !cancelled && setPreview({ rule: settled, data: null, error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      cancelled = true;
    };
  }, [settled]);

  const stale = ruleJson !== preview?.rule || (!preview?.data && !preview?.error);
  return (
    <section className="segment-preview" aria-labelledby="preview-title" aria-busy={stale}>
      <h2 id="preview-title">Who it matches now</h2>
      {built.problems.length > 0 && (
        <ul className="problem" role="alert" aria-label="Problems with the rule">
          {built.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {built.rule && preview?.error && <ErrorState error={preview.error} />}
      {built.rule && stale && !preview?.error && <Loading what="Previewing" />}
      {built.rule && preview?.data && (
        <div data-testid="preview-result" className={stale ? 'is-stale' : undefined}>
          <p>
            <strong>{preview.data.matching}</strong> of {preview.data.total} accounts match.
          </p>
          {preview.data.accounts.length === 0 ? (
            <Empty>No account matches this rule now.</Empty>
          ) : (
            <ul className="plain" aria-label="Matching accounts">
              {preview.data.accounts.map((a) => (
                <li key={a.accountId}>
                  <Link to={`/accounts/${a.accountId}`}>{a.name}</Link> <span className="muted">({a.segment})</span>
                  <Checks checks={a.checks} />
                </li>
              ))}
            </ul>
          )}
          <h3>Near misses</h3>
          {preview.data.nearMisses.length === 0 ? (
            <Empty>No account is one condition short.</Empty>
          ) : (
            <ul className="plain" aria-label="Near misses">
              {preview.data.nearMisses.map((a) => (
                <li key={a.accountId}>
                  <Link to={`/accounts/${a.accountId}`}>{a.name}</Link> <span className="muted">misses: {a.checks.filter((c) => !c.holds).map((c) => c.condition).join('; ')}</span>
                  <Checks checks={a.checks} />
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}

function RuleEditor({ join, rows, onChange }: { join: Join; rows: RuleRow[]; onChange: (join: Join, rows: RuleRow[]) => void }) {
  const set = (i: number, patch: Partial<RuleRow>) => onChange(join, rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className="segment-editor">
      <legend>Rule</legend>
      <label className="field">
        <span>Accounts match when</span>
        <select value={join} onChange={(e) => onChange(e.target.value as Join, rows)}>
          <option value="all">all of these hold</option>
          <option value="any">any of these holds</option>
        </select>
      </label>
      <datalist id="rule-fields">
        {FIELDS.map((f) => (
          <option key={f} value={f} />
        ))}
      </datalist>
      {rows.map((r, i) => (
        <div className="rule-row" key={i} role="group" aria-label={`Condition ${i + 1}`}>
          <input aria-label={`Field of condition ${i + 1}`} list="rule-fields" value={r.field} onChange={(e) => set(i, { field: e.target.value })} />
          <select aria-label={`Comparison of condition ${i + 1}`} value={r.op} onChange={(e) => set(i, { op: e.target.value as RuleRow['op'] })}>
            {OPS.map(([op, label]) => (
              <option key={op} value={op}>
                {label}
              </option>
            ))}
          </select>
          <input aria-label={`Value of condition ${i + 1}`} value={r.value} disabled={r.op === 'exists' || r.op === 'not_exists'} onChange={(e) => set(i, { value: e.target.value })} />
          <button type="button" aria-label={`Remove condition ${i + 1}`} onClick={() => onChange(join, rows.filter((_, j) => j !== i))}>
            ✕
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange(join, [...rows, { ...NEW_ROW }])}>
        Add a condition
      </button>
      <p className="muted">
        Fields: <code>account.&lt;attribute&gt;</code>, <code>metric.&lt;name&gt;</code>, <code>role.&lt;role&gt;</code>. Lists are comma-separated; dates compare with today in days.
      </p>
    </fieldset>
  );
}

export function SegmentsPage() {
  const segments = useResource(() => api.segments({ limit: 200 }), []);
  const [editing, setEditing] = useState<{ from: Segment | null; join: Join; rows: RuleRow[] }>({ from: null, join: 'all', rows: [{ ...NEW_ROW }] });
  const [notice, setNotice] = useState<string | null>(null);

  function open(segment: Segment) {
    const rows = rowsFromRule(segment.rule);
    if (!rows) {
      setNotice(segment.rule ? `"${segment.name}" nests its conditions deeper than this editor shows; its rule: ${JSON.stringify(segment.rule)}` : `"${segment.name}" is manual: accounts are assigned to it, no rule.`);
      return;
    }
    setNotice(null);
    setEditing({ from: segment, ...rows });
  }

  return (
    <section>
      <h1>Segments</h1>
      <ResourceView resource={segments} what="Loading segments" empty="No segments yet." isEmpty={(p) => p.items.length === 0}>
        {(page) => (
          <table className="table">
            <thead>
              <tr>
                <th>Segment</th>
                <th>Coverage</th>
                <th>Priority</th>
                <th>Kind</th>
                <th>Members</th>
                <th>
                  <span className="visually-hidden">Preview</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((s) => (
                <tr key={s.id}>
                  <td>
                    {s.name} <span className="muted">{s.key}</span>
                    {s.description && <div className="muted">{s.description}</div>}
                  </td>
                  <td>{s.touchModel} touch</td>
                  <td>{s.priority}</td>
                  <td>{s.kind}</td>
                  <td>{s.memberCount}</td>
                  <td>
                    {s.kind === 'rule' && (
                      <button type="button" onClick={() => open(s)} aria-label={`Preview the rule of ${s.name}`}>
                        Preview rule
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </ResourceView>
      <h2>{editing.from ? `Rule of “${editing.from.name}” (changes here are not saved)` : 'Try a rule'}</h2>
      {notice && <p className="muted">{notice}</p>}
      <div className="segment-layout">
        <RuleEditor join={editing.join} rows={editing.rows} onChange={(join, rows) => setEditing((e) => ({ ...e, join, rows }))} />
        <Preview join={editing.join} rows={editing.rows} />
      </div>
    </section>
  );
}
