import type { Comparison } from '@cairn/playbook';
import { type ReactNode, useId, useRef, useState } from 'react';
import { fieldSuggestions, fromRows, OPERATORS, toRows, valueForOp } from './condition-rows';
import { activeFields, type FieldDescriptor, type FieldPath, getAt, humanizeKey, initialValue, parseScalar, setAt } from './schema-fields';
import { insertVariable, previewTemplate, variableOptions } from './template-preview';

/** What every field widget gets: its value, how to change it, and the findings at its path. */
export interface FieldContext {
  /** Problems the compiler found at (or under) a data path. */
  errorsAt: (path: FieldPath) => string[];
  playbookName: string;
  stepIds: string[];
  milestoneIds: string[];
  accountAttributes: string[];
}

interface FieldProps {
  descriptor: FieldDescriptor;
  value: unknown;
  path: FieldPath;
  onChange: (path: FieldPath, value: unknown) => void;
  ctx: FieldContext;
}

function Errors({ id, messages }: { id: string; messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <ul className="field-errors" id={id}>
      {messages.map((m) => (
        <li key={m}>{m}</li>
      ))}
    </ul>
  );
}

function Row({ label, htmlFor, children, errors, errorId, hint }: { label: string; htmlFor?: string; children: ReactNode; errors: string[]; errorId: string; hint?: ReactNode }) {
  return (
    <div className={`field${errors.length ? ' has-error' : ''}`}>
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {hint}
      <Errors id={errorId} messages={errors} />
    </div>
  );
}

const DURATION = /^\s*(\d+(?:\.\d+)?)\s*(minutes?|hours?|days?|weeks?|seconds?)\s*$/i;
const UNITS = ['minutes', 'hours', 'days', 'weeks'] as const;

/** "30 days" as an amount and a unit; other spellings ("P3D", "36h") as text. */
function DurationInput({ id, value, onChange, label, describedBy }: { id: string; value: unknown; onChange: (v: string | undefined) => void; label: string; describedBy?: string }) {
  const text = typeof value === 'string' ? value : '';
  const match = DURATION.exec(text);
  const [raw, setRaw] = useState(!match && text !== '');
  if (raw) {
    return (
      <div className="duration">
        <input id={id} value={text} onChange={(e) => onChange(e.target.value)} aria-describedby={describedBy} placeholder="e.g. 3 days, 12 hours, P2W" />
        <button type="button" className="link" onClick={() => setRaw(false)}>
          amount and unit
        </button>
      </div>
    );
  }
  const amount = match ? match[1] : '';
  const unitWord = match ? match[2].toLowerCase().replace(/s?$/, 's') : 'days';
  const unit = (UNITS as readonly string[]).includes(unitWord) ? unitWord : 'days';
  const write = (a: string, u: string) => onChange(a === '' ? undefined : `${a} ${Number(a) === 1 ? u.replace(/s$/, '') : u}`);
  return (
    <div className="duration">
      <input id={id} type="number" min={0} step="any" value={amount} onChange={(e) => write(e.target.value, unit)} aria-describedby={describedBy} />
      <select aria-label={`${label} unit`} value={unit} onChange={(e) => write(amount || '1', e.target.value)}>
        {UNITS.map((u) => (
          <option key={u} value={u}>
            {u}
          </option>
        ))}
      </select>
      <button type="button" className="link" onClick={() => setRaw(true)}>
        type it
      </button>
    </div>
  );
}

function TemplateText({ id, value, multiline, onChange, playbookName, describedBy }: { id: string; value: string; multiline: boolean; onChange: (v: string) => void; playbookName: string; describedBy?: string }) {
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const preview = previewTemplate(value, playbookName);
  const Input = multiline ? 'textarea' : 'input';
  return (
    <div className="template">
      <Input id={id} ref={ref} value={value} rows={multiline ? 5 : undefined} onChange={(e) => onChange(e.target.value)} aria-describedby={describedBy} />
      <select
        aria-label="Insert a variable"
        value=""
        onChange={(e) => {
          if (!e.target.value) return;
          const next = insertVariable(value, e.target.value, ref.current?.selectionStart ?? value.length);
          onChange(next.text);
        }}
      >
        <option value="">Insert a variable…</option>
        {variableOptions(playbookName).map((v) => (
          <option key={v} value={v}>{`{{${v}}}`}</option>
        ))}
      </select>
      <div className="template-preview" aria-label="Preview">
        <span className="muted">Preview (sample account):</span> <span data-testid="template-preview">{preview.text || '—'}</span>
      </div>
    </div>
  );
}

function JsonField({ id, value, onChange, describedBy }: { id: string; value: unknown; onChange: (v: unknown) => void; describedBy?: string }) {
  const [text, setText] = useState(() => (value === undefined ? '' : JSON.stringify(value, null, 2)));
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <>
      <textarea
        id={id}
        className="json"
        rows={4}
        value={text}
        aria-describedby={describedBy}
        aria-invalid={problem ? true : undefined}
        onChange={(e) => {
          setText(e.target.value);
          if (e.target.value.trim() === '') {
            setProblem(null);
            onChange(undefined);
            return;
          }
          try {
            onChange(JSON.parse(e.target.value));
            setProblem(null);
          } catch {
            setProblem('Not valid JSON yet: the step keeps its last valid value');
          }
        }}
      />
      {problem && <p className="field-errors">{problem}</p>}
    </>
  );
}

const ROLE_GROUPS: Record<string, string> = { csm: 'Our side', cs_manager: 'Our side', executive_sponsor: 'Our side', account_team: 'Our side' };

function ConditionBuilder({ id, value, onChange, ctx, label }: { id: string; value: unknown; onChange: (v: unknown) => void; ctx: FieldContext; label: string }) {
  const model = toRows(value);
  const listId = useId();
  if (!model) {
    return (
      <>
        <p className="muted">This condition nests groups; edit it as JSON.</p>
        <JsonField id={id} value={value} onChange={onChange} />
      </>
    );
  }
  const write = (rows: Comparison[], join = model.join) => onChange(fromRows({ join, rows }));
  const setRow = (i: number, row: Comparison) => write(model.rows.map((r, j) => (j === i ? row : r)));
  return (
    <div className="condition" role="group" aria-label={label} id={id}>
      <datalist id={listId}>
        {fieldSuggestions(ctx.accountAttributes, ctx.stepIds, ctx.milestoneIds).map((f) => (
          <option key={f} value={f} />
        ))}
      </datalist>
      {model.rows.length > 1 && (
        <select aria-label={`${label}: match`} value={model.join} onChange={(e) => write(model.rows, e.target.value as 'all' | 'any')}>
          <option value="all">all of these hold (and)</option>
          <option value="any">any of these holds (or)</option>
        </select>
      )}
      {model.rows.map((row, i) => {
        const op = OPERATORS.find((o) => o.op === row.op);
        return (
          <div className="condition-row" key={i}>
            <input aria-label={`Condition ${i + 1} field`} list={listId} value={row.field} onChange={(e) => setRow(i, { ...row, field: e.target.value })} />
            <select aria-label={`Condition ${i + 1} operator`} value={row.op} onChange={(e) => setRow(i, { ...row, op: e.target.value as Comparison['op'], value: valueForOp(e.target.value as Comparison['op'], row.value) })}>
              {OPERATORS.map((o) => (
                <option key={o.op} value={o.op}>
                  {o.label}
                </option>
              ))}
            </select>
            {op?.value !== 'none' && (
              <input
                aria-label={`Condition ${i + 1} value`}
                type={op?.value === 'number' || op?.value === 'days' ? 'number' : 'text'}
                value={Array.isArray(row.value) ? row.value.join(', ') : String(row.value ?? '')}
                onChange={(e) => {
                  const text = e.target.value;
                  const next = op?.value === 'list' ? text.split(',').map((t) => parseScalar(t.trim())).filter((v): v is string | number | boolean => v !== null && v !== '') : op?.value === 'number' || op?.value === 'days' ? (text === '' ? undefined : Number(text)) : parseScalar(text);
                  setRow(i, { ...row, value: next === null ? undefined : next });
                }}
              />
            )}
            <button type="button" aria-label={`Remove condition ${i + 1}`} onClick={() => write(model.rows.filter((_, j) => j !== i))}>
              ×
            </button>
          </div>
        );
      })}
      <button type="button" onClick={() => write([...model.rows, { field: 'segment', op: 'eq', value: '' }])}>
        Add a condition
      </button>
    </div>
  );
}

/** One field of the side panel, by its descriptor's kind; unknown shapes are JSON. */
export function Field({ descriptor, value, path, onChange, ctx }: FieldProps) {
  const id = useId();
  const errorId = `${id}-errors`;
  const errors = ctx.errorsAt(path);
  const describedBy = errors.length ? errorId : undefined;
  const label = descriptor.label + (descriptor.optional ? ' (optional)' : '');
  const set = (v: unknown) => onChange(path, v);
  switch (descriptor.kind) {
    case 'text': {
      const text = typeof value === 'string' ? value : '';
      const input = descriptor.template ? (
        <TemplateText id={id} value={text} multiline={descriptor.multiline} onChange={(v) => set(v === '' && descriptor.optional ? undefined : v)} playbookName={ctx.playbookName} describedBy={describedBy} />
      ) : descriptor.multiline ? (
        <textarea id={id} rows={4} value={text} onChange={(e) => set(e.target.value === '' && descriptor.optional ? undefined : e.target.value)} aria-describedby={describedBy} />
      ) : (
        <input id={id} type={descriptor.format === 'url' ? 'url' : 'text'} value={text} onChange={(e) => set(e.target.value === '' && descriptor.optional ? undefined : e.target.value)} aria-describedby={describedBy} />
      );
      return <Row label={label} htmlFor={id} errors={errors} errorId={errorId}>{input}</Row>;
    }
    case 'number':
      return (
        <Row label={label} htmlFor={id} errors={errors} errorId={errorId}>
          <input
            id={id}
            type="number"
            value={typeof value === 'number' ? value : ''}
            min={descriptor.min}
            max={descriptor.max}
            step={descriptor.integer ? 1 : 'any'}
            onChange={(e) => set(e.target.value === '' ? undefined : Number(e.target.value))}
            aria-describedby={describedBy}
          />
        </Row>
      );
    case 'boolean':
      return (
        <div className="field field-check">
          <label>
            <input type="checkbox" checked={value === true} onChange={(e) => set(e.target.checked)} /> {descriptor.label}
          </label>
          <Errors id={errorId} messages={errors} />
        </div>
      );
    case 'enum':
      return (
        <Row label={label} htmlFor={id} errors={errors} errorId={errorId}>
          <select id={id} value={typeof value === 'string' ? value : ''} onChange={(e) => set(e.target.value === '' ? undefined : e.target.value)} aria-describedby={describedBy}>
            {(descriptor.optional || typeof value !== 'string') && <option value="">—</option>}
            {descriptor.role ? (
              <>
                <optgroup label="Customer">
                  {descriptor.options.filter((o) => !ROLE_GROUPS[o]).map((o) => (
                    <option key={o} value={o}>
                      {humanizeKey(o)}
                    </option>
                  ))}
                </optgroup>
                {descriptor.options.some((o) => ROLE_GROUPS[o]) && (
                  <optgroup label="Our side">
                    {descriptor.options.filter((o) => ROLE_GROUPS[o]).map((o) => (
                      <option key={o} value={o}>
                        {humanizeKey(o)}
                      </option>
                    ))}
                  </optgroup>
                )}
              </>
            ) : (
              descriptor.options.map((o) => (
                <option key={o} value={o}>
                  {humanizeKey(o)}
                </option>
              ))
            )}
          </select>
        </Row>
      );
    case 'duration':
      return (
        <Row label={label} htmlFor={id} errors={errors} errorId={errorId}>
          <DurationInput id={id} value={value} label={descriptor.label} onChange={(v) => set(v)} describedBy={describedBy} />
        </Row>
      );
    case 'scalar':
      return (
        <Row label={label} htmlFor={id} errors={errors} errorId={errorId} hint={<span className="muted hint">Numbers, true/false and null are read as such</span>}>
          <input id={id} value={value === undefined || value === null ? '' : String(value)} onChange={(e) => set(parseScalar(e.target.value))} aria-describedby={describedBy} />
        </Row>
      );
    case 'condition':
      return (
        <div className={`field${errors.length ? ' has-error' : ''}`}>
          <span className="field-label">{label}</span>
          {value === undefined && descriptor.optional ? (
            <button type="button" onClick={() => set(initialValue(descriptor))}>
              Add a condition
            </button>
          ) : (
            <ConditionBuilder id={id} value={value} onChange={set} ctx={ctx} label={descriptor.label} />
          )}
          <Errors id={errorId} messages={errors} />
        </div>
      );
    case 'object':
    case 'variant': {
      if (value === undefined && descriptor.optional) {
        return (
          <div className="field">
            <span className="field-label">{label}</span>
            <button type="button" onClick={() => set(initialValue(descriptor))}>
              Add {descriptor.label.toLowerCase()}
            </button>
          </div>
        );
      }
      return (
        <fieldset className="field-group">
          <legend>{descriptor.label}</legend>
          <FieldList descriptor={descriptor} value={value} path={path} onChange={onChange} ctx={ctx} />
          {descriptor.optional && (
            <button type="button" className="link" onClick={() => set(undefined)}>
              Remove {descriptor.label.toLowerCase()}
            </button>
          )}
          <Errors id={errorId} messages={errors} />
        </fieldset>
      );
    }
    case 'list': {
      const items = Array.isArray(value) ? value : [];
      return (
        <fieldset className="field-group">
          <legend>{label}</legend>
          {items.map((item, i) => (
            <div className="list-item" key={i}>
              <Field descriptor={{ ...descriptor.item, label: `${humanizeKey(descriptor.key).replace(/s$/, '')} ${i + 1}` }} value={item} path={[...path, i]} onChange={onChange} ctx={ctx} />
              <button type="button" onClick={() => set(items.filter((_, j) => j !== i))} aria-label={`Remove ${humanizeKey(descriptor.key).replace(/s$/, '').toLowerCase()} ${i + 1}`}>
                Remove
              </button>
            </div>
          ))}
          <button type="button" onClick={() => set([...items, initialValue(descriptor.item, items.length)])}>
            Add {humanizeKey(descriptor.key).replace(/s$/, '').toLowerCase()}
          </button>
          <Errors id={errorId} messages={errors} />
        </fieldset>
      );
    }
    case 'json':
      return (
        <Row label={`${label} (JSON)`} htmlFor={id} errors={errors} errorId={errorId}>
          <JsonField id={id} value={value} onChange={set} describedBy={describedBy} />
        </Row>
      );
  }
}

/** The fields of an object or a variant (with the variant's kind picker first). */
export function FieldList({ descriptor, value, path, onChange, ctx }: FieldProps) {
  const id = useId();
  const fields = activeFields(descriptor, value);
  return (
    <>
      {descriptor.kind === 'variant' && (
        <div className="field">
          <label htmlFor={id}>{humanizeKey(descriptor.discriminator)}</label>
          <select
            id={id}
            value={String(getAt(value, [descriptor.discriminator]) ?? '')}
            onChange={(e) => {
              // Switching kind keeps the label and what the new kind shares; the rest starts fresh.
              const option = descriptor.options.find((o) => o.value === e.target.value);
              const old = (value ?? {}) as Record<string, unknown>;
              const fresh = initialValue({ ...descriptor, options: option ? [option] : [] }) as Record<string, unknown>;
              const kept = Object.fromEntries((option?.fields ?? []).filter((f) => old[f.key] !== undefined).map((f) => [f.key, old[f.key]]));
              onChange(path, { ...fresh, ...kept, [descriptor.discriminator]: e.target.value });
            }}
          >
            {descriptor.options.map((o) => (
              <option key={o.value} value={o.value}>
                {humanizeKey(o.value)}
              </option>
            ))}
          </select>
        </div>
      )}
      {fields.map((f) => (
        <Field key={f.key} descriptor={f} value={getAt(value, [f.key])} path={[...path, f.key]} onChange={onChange} ctx={ctx} />
      ))}
    </>
  );
}

export { setAt };
