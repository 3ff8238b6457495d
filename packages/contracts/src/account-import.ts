import { z } from 'zod';
import { type AccountFieldRule, type AttributeScalar, coerceAttribute, missingRequired, unknownFieldMessage } from './account-fields';
import { type AccountHealth, canonicalTimezone, externalIdValueSchema, externalSystemSchema, normalizeDomain } from './accounts';
import { uuidSchema } from './common';
import { unstorableTextReason } from './text';

/**
 * CSV import of accounts, as pure functions: the header names the columns, each row maps to the
 * values it gives (an empty cell gives nothing: the stored value stays), and a row is planned
 * against the account its external ids name (create, update, unchanged or rejected, with the
 * reasons by column). The API parses the bytes, looks the references up and writes the plan.
 */

export const IMPORT_MAX_ROWS = 10_000;
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;

const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

/** `POST /api/accounts/import?mode=&dryRun=&atomic=` */
export const importAccountsQuerySchema = z
  .object({
    /** upsert: rows whose external id is known update that account, the others create one; insert: every row creates one. */
    mode: z.enum(['upsert', 'insert']).default('upsert'),
    /** Plan and report, write nothing. */
    dryRun: booleanQuery.default(false),
    /** Write nothing unless every row is fine. */
    atomic: booleanQuery.default(false),
  })
  .strict();
export type ImportAccountsQuery = z.output<typeof importAccountsQuerySchema>;

export const importRowStatusSchema = z.enum(['created', 'updated', 'unchanged', 'rejected']);
export type ImportRowStatus = z.infer<typeof importRowStatusSchema>;

export const importErrorSchema = z.object({
  /** The header of the offending column, or null for the row as a whole. */
  column: z.string().nullable(),
  message: z.string(),
});
export type ImportError = z.infer<typeof importErrorSchema>;

export const importRowReportSchema = z.object({
  /** As a spreadsheet numbers it: the header is row 1. */
  row: z.number().int(),
  status: importRowStatusSchema,
  /** The account created or updated (null when rejected, or created by a dry run). */
  accountId: uuidSchema.nullable(),
  /** What an update changes: column names (`seats`, `timezone`, `external_id:hubspot`). */
  changed: z.array(z.string()),
  errors: z.array(importErrorSchema),
});
export type ImportRowReport = z.infer<typeof importRowReportSchema>;

export const importAccountsResponseSchema = z.object({
  mode: z.enum(['upsert', 'insert']),
  dryRun: z.boolean(),
  atomic: z.boolean(),
  /** False for a dry run, or an atomic import with a rejected row: then nothing was saved. */
  written: z.boolean(),
  totals: z.object({ rows: z.number().int(), created: z.number().int(), updated: z.number().int(), unchanged: z.number().int(), rejected: z.number().int() }),
  rows: z.array(importRowReportSchema),
  /** Running playbooks of updated accounts, told to re-read them (`accountChanged`) after the commit. */
  signals: z.object({
    sent: z.number().int(),
    /** Runs Temporal could not be reached for: PATCH the account (any attribute, even unchanged) to tell them. */
    notSent: z.array(z.object({ accountId: uuidSchema, runId: uuidSchema })),
  }),
});
export type ImportAccountsResponse = z.infer<typeof importAccountsResponseSchema>;

// ---------------------------------------------------------------------------------------------
// The header

export type ImportColumn =
  | { header: string; kind: 'name' | 'domain' | 'csm_email' | 'segment_key' | 'timezone' | 'health' | 'health_score' }
  | { header: string; kind: 'external_id'; system: string }
  | { header: string; kind: 'attribute'; field: AccountFieldRule };

const FIXED_COLUMNS = ['name', 'domain', 'csm_email', 'segment_key', 'timezone', 'health', 'health_score'] as const;

export interface HeaderIssue {
  /** The column's header as written, or `#3` for a column without one. */
  column: string;
  message: string;
}

/**
 * The columns a header row names: the account's own (`name`, `domain`, `csm_email`, `segment_key`,
 * `timezone`, `health`, `health_score`), `external_id:<system>`, and attribute keys of the field
 * schema. Names are matched ignoring case and surrounding spaces. Any column that is none of these
 * refuses the whole file, since every row would lose it.
 */
export function readImportHeader(cells: readonly string[], fields: readonly AccountFieldRule[], mode: 'upsert' | 'insert'): { ok: true; columns: ImportColumn[] } | { ok: false; issues: HeaderIssue[] } {
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const issues: HeaderIssue[] = [];
  const columns: ImportColumn[] = [];
  const seen = new Map<string, number>();
  cells.forEach((cell, i) => {
    const header = cell.trim();
    const name = header.toLowerCase();
    if (name === '') {
      issues.push({ column: `#${i + 1}`, message: `Column ${i + 1} has no name in the header row` });
      return;
    }
    if (seen.has(name)) {
      issues.push({ column: header, message: `"${header}" is column ${seen.get(name)} and column ${i + 1}: each column once` });
      return;
    }
    seen.set(name, i + 1);
    if ((FIXED_COLUMNS as readonly string[]).includes(name)) {
      columns.push({ header, kind: name as (typeof FIXED_COLUMNS)[number] });
      return;
    }
    if (name.startsWith('external_id:')) {
      const system = name.slice('external_id:'.length).trim();
      const parsed = externalSystemSchema.safeParse(system);
      if (parsed.success) columns.push({ header, kind: 'external_id', system });
      else issues.push({ column: header, message: `"${header}": ${parsed.error.issues[0]?.message ?? 'not a system name'} (external_id:salesforce, say)` });
      return;
    }
    const field = byKey.get(name);
    if (field) columns.push({ header, kind: 'attribute', field });
    else issues.push({ column: header, message: `Unknown column: ${unknownFieldMessage(name, fields)}; the account's own columns are ${FIXED_COLUMNS.join(', ')} and external_id:<system>` });
  });
  const has = (kind: ImportColumn['kind']) => columns.some((c) => c.kind === kind);
  if (mode === 'upsert' && !has('external_id') && cells.length > 0) {
    issues.push({ column: 'external_id:<system>', message: 'An upsert matches rows to accounts by external id: add a column such as external_id:salesforce (or import with mode=insert)' });
  }
  if (mode === 'insert') {
    for (const kind of ['name', 'segment_key'] as const) if (!has(kind)) issues.push({ column: kind, message: `Every new account needs a ${kind}: add the column` });
  }
  return issues.length ? { ok: false, issues } : { ok: true, columns };
}

// ---------------------------------------------------------------------------------------------
// Rows

/** What one row gives (an empty cell gives nothing), coerced, with what is wrong with it. */
export interface ImportRow {
  row: number;
  externalIds: Record<string, string>;
  name?: string;
  domain?: string;
  csmEmail?: string;
  segmentKey?: string;
  timezone?: string;
  health?: AccountHealth['status'];
  healthScore?: number;
  attributes: Record<string, AttributeScalar>;
  errors: ImportError[];
}

const emailSchema = z.email();
const externalColumn = (system: string) => `external_id:${system}`;

/** True when a record has no content at all (a blank line): it is skipped, not reported. */
export function isBlankRecord(cells: readonly string[]): boolean {
  return cells.every((c) => c.trim() === '');
}

/** One data row, checked cell by cell against its column. `row` is its spreadsheet row number. */
export function mapImportRow(columns: readonly ImportColumn[], cells: readonly string[], row: number): ImportRow {
  const out: ImportRow = { row, externalIds: {}, attributes: {}, errors: [] };
  const error = (column: string | null, message: string) => out.errors.push({ column, message });
  if (cells.length > columns.length) {
    const extra = cells.slice(columns.length).filter((c) => c.trim() !== '').length;
    if (extra > 0) error(null, `The row has ${cells.length} cells and the header ${columns.length} (a value with a comma needs "quotes")`);
  }
  columns.forEach((column, i) => {
    const text = (cells[i] ?? '').trim();
    if (text === '') return;
    const unstorable = unstorableTextReason(text);
    if (unstorable) return error(column.header, `The value ${unstorable}`);
    switch (column.kind) {
      case 'name':
        if (text.length > 200) error(column.header, 'A name is at most 200 characters');
        else out.name = text;
        return;
      case 'domain': {
        const domain = normalizeDomain(text);
        if (domain) out.domain = domain;
        else error(column.header, `"${text}" is not a web domain such as "acme.com"`);
        return;
      }
      case 'csm_email':
        if (emailSchema.safeParse(text).success) out.csmEmail = text.toLowerCase();
        else error(column.header, `"${text}" is not an email address`);
        return;
      case 'segment_key':
        out.segmentKey = text;
        return;
      case 'timezone': {
        const zone = canonicalTimezone(text);
        if (zone) out.timezone = zone;
        else error(column.header, `"${text}" is not an IANA timezone such as "Europe/Berlin"`);
        return;
      }
      case 'health': {
        const status = text.toLowerCase();
        if (status === 'green' || status === 'yellow' || status === 'red') out.health = status;
        else error(column.header, `"${text}" is not a health: green, yellow or red`);
        return;
      }
      case 'health_score': {
        const score = Number(text);
        if (/^\d{1,3}$/.test(text) && score <= 100) out.healthScore = score;
        else error(column.header, `"${text}" is not a health score: a whole number from 0 to 100`);
        return;
      }
      case 'external_id': {
        const id = externalIdValueSchema.safeParse(text);
        if (id.success) out.externalIds[column.system] = id.data;
        else error(column.header, id.error.issues[0]?.message ?? 'Not an external id');
        return;
      }
      case 'attribute': {
        const coerced = coerceAttribute(column.field, text, 'text');
        if (coerced.ok) out.attributes[column.field.key] = coerced.value;
        else error(column.header, coerced.message);
        return;
      }
    }
  });
  return out;
}

/**
 * Rows that share an external id (or a domain) are each rejected, naming the others: which of
 * them is right cannot be told, and one account cannot take both.
 */
export function rejectDuplicates(rows: readonly ImportRow[]): void {
  const claims = new Map<string, { column: string; value: string; rows: ImportRow[] }>();
  const claim = (key: string, column: string, value: string, row: ImportRow) => {
    const entry = claims.get(key) ?? { column, value, rows: [] };
    entry.rows.push(row);
    claims.set(key, entry);
  };
  for (const row of rows) {
    for (const [system, id] of Object.entries(row.externalIds)) claim(`x\u0000${system}\u0000${id}`, externalColumn(system), id, row);
    if (row.domain) claim(`d\u0000${row.domain}`, 'domain', row.domain, row);
  }
  for (const { column, value, rows: sharing } of claims.values()) {
    if (sharing.length < 2) continue;
    for (const row of sharing) {
      const others = sharing.filter((r) => r !== row).map((r) => r.row);
      row.errors.push({ column, message: `"${value}" is also on row${others.length > 1 ? 's' : ''} ${others.join(', ')}: each ${column === 'domain' ? 'domain' : 'external id'} once per file` });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Planning a row against what is stored

/** An account as stored, as much as an import compares. */
export interface StoredAccount {
  id: string;
  name: string;
  domain: string | null;
  /** The manual segment the account is assigned to (rule segments follow from its data). */
  assignedSegmentId: string;
  csmId: string | null;
  timezone: string;
  attributes: Record<string, AttributeScalar | null>;
  healthStatus: AccountHealth['status'] | null;
  healthScore: number | null;
  externalIds: Record<string, string>;
}

/** The account's values after the row: what gets written. */
export type AccountValues = Omit<StoredAccount, 'id' | 'externalIds'>;

/** What the database knows that a row names. */
export interface ImportLookups {
  mode: 'upsert' | 'insert';
  fields: readonly AccountFieldRule[];
  /** `system\u0000id` → the account that has it. */
  externalIdOwners: ReadonlyMap<string, string>;
  accounts: ReadonlyMap<string, StoredAccount>;
  /** Lower-case email → user id. */
  users: ReadonlyMap<string, string>;
  /** Manual segment key → id: what a row may assign. */
  segments: ReadonlyMap<string, string>;
  /** Keys of rule segments: accounts enter them when the rule matches, never by assignment. */
  ruleSegmentKeys: ReadonlySet<string>;
  /** Domain → the account that has it. */
  domainOwners: ReadonlyMap<string, string>;
}

export const externalIdKey = (system: string, id: string) => `${system}\u0000${id}`;

export type ImportPlan =
  | { status: 'rejected'; accountId: string | null; errors: ImportError[] }
  | { status: 'unchanged'; accountId: string }
  | { status: 'created'; values: AccountValues; externalIds: Record<string, string> }
  | { status: 'updated'; accountId: string; values: AccountValues; changed: string[]; newExternalIds: Record<string, string> };

const nameOf = (lookups: ImportLookups, accountId: string) => {
  const account = lookups.accounts.get(accountId);
  return account ? `"${account.name}" (${accountId})` : accountId;
};

/**
 * What a row does: finds the account its external ids name (all of them must name the same one),
 * merges what the row gives into it, and checks the result (references known, required fields
 * present, a health score with a health). Errors name the column they come from.
 */
export function planImportRow(row: ImportRow, lookups: ImportLookups): ImportPlan {
  const errors: ImportError[] = [...row.errors];
  const error = (column: string | null, message: string) => errors.push({ column, message });

  // Which account the row names.
  const owners = new Map<string, string[]>();
  for (const [system, id] of Object.entries(row.externalIds)) {
    const owner = lookups.externalIdOwners.get(externalIdKey(system, id));
    if (owner) owners.set(owner, [...(owners.get(owner) ?? []), externalColumn(system)]);
  }
  let existing: StoredAccount | null = null;
  if (owners.size > 1) {
    const named = [...owners].map(([owner, columns]) => `${columns.join(', ')} → ${nameOf(lookups, owner)}`);
    error(null, `The row's external ids name different accounts: ${named.join('; ')}`);
    return { status: 'rejected', accountId: null, errors };
  } else if (owners.size === 1) {
    const [owner, columns] = [...owners][0];
    existing = lookups.accounts.get(owner) ?? null;
    if (lookups.mode === 'insert') error(columns[0], `Account ${nameOf(lookups, owner)} has this id already (import with mode=upsert to update it)`);
  } else if (lookups.mode === 'upsert' && Object.keys(row.externalIds).length === 0 && row.errors.every((e) => !e.column?.startsWith('external_id:'))) {
    error(null, 'No external id to match the row on: give at least one external_id:<system> value');
  }

  // Ids the account gets from this row; a system it has another id for is a conflict.
  const newExternalIds: Record<string, string> = {};
  for (const [system, id] of Object.entries(row.externalIds)) {
    if (lookups.externalIdOwners.has(externalIdKey(system, id))) continue;
    const current = existing?.externalIds[system];
    if (current !== undefined) error(externalColumn(system), `${nameOf(lookups, existing?.id ?? '')} has ${system} id "${current}" already, not "${id}"`);
    else newExternalIds[system] = id;
  }

  // References.
  let csmId = existing?.csmId ?? null;
  if (row.csmEmail !== undefined) {
    const found = lookups.users.get(row.csmEmail);
    if (found) csmId = found;
    else error('csm_email', `No user has the email ${row.csmEmail}`);
  }
  let segmentId = existing?.assignedSegmentId ?? null;
  if (row.segmentKey !== undefined) {
    const found = lookups.segments.get(row.segmentKey);
    if (found) segmentId = found;
    else if (lookups.ruleSegmentKeys.has(row.segmentKey)) error('segment_key', `"${row.segmentKey}" is a rule segment: accounts enter it when its rule matches them; give a manual segment (${[...lookups.segments.keys()].join(', ')})`);
    else error('segment_key', `No segment has the key "${row.segmentKey}" (manual segments: ${[...lookups.segments.keys()].join(', ')})`);
  } else if (!existing) {
    error('segment_key', 'A new account needs a segment_key');
  }
  if (row.domain !== undefined) {
    const owner = lookups.domainOwners.get(row.domain);
    if (owner && owner !== existing?.id) error('domain', `${row.domain} is the domain of ${nameOf(lookups, owner)}`);
  }
  const name = row.name ?? existing?.name;
  if (name === undefined) error('name', 'A new account needs a name');

  const attributes = { ...(existing?.attributes ?? {}), ...row.attributes };
  for (const key of missingRequired(lookups.fields, attributes)) {
    if (!errors.some((e) => e.column?.toLowerCase() === key)) error(key, `${key} is required${existing ? ' and the account has none' : ' for a new account'}`);
  }
  const healthStatus = row.health ?? existing?.healthStatus ?? null;
  const healthScore = row.healthScore ?? (row.health !== undefined && row.health !== existing?.healthStatus ? null : (existing?.healthScore ?? null));
  if (row.healthScore !== undefined && healthStatus === null) error('health_score', 'A health score goes with a health (green, yellow or red): add the health column');

  if (errors.length || name === undefined || segmentId === null) return { status: 'rejected', accountId: existing?.id ?? null, errors };

  const values: AccountValues = {
    name,
    domain: row.domain ?? existing?.domain ?? null,
    assignedSegmentId: segmentId,
    csmId,
    timezone: row.timezone ?? existing?.timezone ?? 'UTC',
    attributes,
    healthStatus,
    healthScore,
  };
  if (!existing) return { status: 'created', values, externalIds: { ...row.externalIds } };

  const changed: string[] = [];
  if (values.name !== existing.name) changed.push('name');
  if (values.domain !== existing.domain) changed.push('domain');
  if (values.assignedSegmentId !== existing.assignedSegmentId) changed.push('segment_key');
  if (values.csmId !== existing.csmId) changed.push('csm_email');
  if (values.timezone !== existing.timezone) changed.push('timezone');
  if (values.healthStatus !== existing.healthStatus) changed.push('health');
  if (values.healthScore !== existing.healthScore) changed.push('health_score');
  for (const key of Object.keys(row.attributes)) if (existing.attributes[key] !== row.attributes[key]) changed.push(key);
  for (const system of Object.keys(newExternalIds)) changed.push(externalColumn(system));
  if (changed.length === 0) return { status: 'unchanged', accountId: existing.id };
  return { status: 'updated', accountId: existing.id, values, changed, newExternalIds };
}
