import type { AccountFieldRule } from './account-fields';
import {
  externalIdKey,
  type ImportColumn,
  type ImportLookups,
  type ImportRow,
  importAccountsQuerySchema,
  isBlankRecord,
  mapImportRow,
  planImportRow,
  readImportHeader,
  rejectDuplicates,
  type StoredAccount,
} from './account-import';

const fields: AccountFieldRule[] = [
  { key: 'arr', type: 'currency', options: [], currency: 'USD', required: false },
  { key: 'plan', type: 'enum', options: ['starter', 'growth', 'enterprise'], currency: null, required: false },
  { key: 'seats', type: 'number', options: [], currency: null, required: true },
  { key: 'renewal_date', type: 'date', options: [], currency: null, required: false },
  { key: 'industry', type: 'string', options: [], currency: null, required: false },
];

const HEADER = ['name', 'external_id:salesforce', 'csm_email', 'segment_key', 'timezone', 'arr', 'plan', 'seats', 'renewal_date'];

function columnsOf(header: string[], mode: 'upsert' | 'insert' = 'upsert'): ImportColumn[] {
  const read = readImportHeader(header, fields, mode);
  if (!read.ok) throw new Error(read.issues.map((i) => i.message).join('; '));
  return read.columns;
}

type HeaderCase = [name: string, header: string[], mode: 'upsert' | 'insert', issues: Array<[column: string, message: RegExp]>];

const headers: HeaderCase[] = [
  ['the documented columns', HEADER, 'upsert', []],
  ['names in any case, with spaces around', [' Name ', 'External_ID:Salesforce', 'SEATS'], 'upsert', []],
  ['several systems, health and a domain', ['name', 'external_id:salesforce', 'external_id:hubspot', 'domain', 'health', 'health_score'], 'upsert', []],
  ['an unknown column', ['name', 'external_id:salesforce', 'tier'], 'upsert', [['tier', /Unknown column: "tier" is not an account field .*external_id:<system>/]]],
  ['a column twice', ['name', 'external_id:salesforce', 'seats', 'Seats'], 'upsert', [['Seats', /"Seats" is column 3 and column 4/]]],
  ['a column without a name', ['name', '', 'external_id:salesforce'], 'upsert', [['#2', /Column 2 has no name/]]],
  ['a bad system name', ['name', 'external_id:Sales Force'], 'upsert', [['external_id:Sales Force', /lower snake case/], ['external_id:<system>', /matches rows to accounts by external id/]]],
  ['an upsert without an external id', ['name', 'segment_key'], 'upsert', [['external_id:<system>', /matches rows to accounts by external id/]]],
  ['an insert without external ids', ['name', 'segment_key', 'seats'], 'insert', []],
  ['an insert without name or segment', ['external_id:salesforce', 'seats'], 'insert', [['name', /needs a name/], ['segment_key', /needs a segment_key/]]],
];

describe('readImportHeader', () => {
  it.each(headers)('%s', (_name, header, mode, issues) => {
    const read = readImportHeader(header, fields, mode);
    if (issues.length === 0) {
      expect(read.ok).toBe(true);
      return;
    }
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.issues.map((i) => i.column)).toEqual(issues.map(([column]) => column));
    read.issues.forEach((issue, i) => expect(issue.message).toMatch(issues[i][1]));
  });
});

type RowCase = [name: string, cells: string[], expected: Partial<ImportRow>, errors: Array<[column: string | null, message: RegExp]>];

const good = ['Acme Analytics', '001A', 'Casey@Cairn.local', 'high-touch', 'america/new_york', '$186,000', 'Enterprise', '250', '2027-03-01'];
const at = (i: number, value: string) => good.map((cell, j) => (j === i ? value : cell));

const rows: RowCase[] = [
  [
    'a full row, coerced',
    good,
    { name: 'Acme Analytics', externalIds: { salesforce: '001A' }, csmEmail: 'casey@cairn.local', segmentKey: 'high-touch', timezone: 'America/New_York', attributes: { arr: 186000, plan: 'enterprise', seats: 250, renewal_date: '2027-03-01' } },
    [],
  ],
  ['empty cells give nothing', ['', '001A', '', '', '', '', '', '', ''], { externalIds: { salesforce: '001A' }, attributes: {} }, []],
  ['fewer cells than columns', ['Acme', '001A'], { name: 'Acme', attributes: {} }, []],
  ['trailing empty cells', [...good, '', ''], { name: 'Acme Analytics' }, []],
  ['more cells than columns', [...good, 'stray'], {}, [[null, /The row has 10 cells and the header 9 \(a value with a comma needs "quotes"\)/]]],
  ['a bad date', at(8, '03/01/2027'), { attributes: { arr: 186000, plan: 'enterprise', seats: 250 } }, [['renewal_date', /"03\/01\/2027" is not a date we can read without guessing/]]],
  ['a day that does not exist', at(8, '2027-02-30'), {}, [['renewal_date', /not a day of the calendar/]]],
  ['a bad enum value', at(6, 'platinum'), {}, [['plan', /"platinum" is not an option of plan: give one of starter, growth, enterprise/]]],
  ['a bad number', at(7, 'lots'), {}, [['seats', /"lots" is not a number/]]],
  ['a bad amount', at(5, '€100'), {}, [['arr', /arr is in USD/]]],
  ['a bad email', at(2, 'casey at cairn'), {}, [['csm_email', /not an email address/]]],
  ['a bad timezone', at(4, 'Mars/Base'), {}, [['timezone', /not an IANA timezone/]]],
  ['a NUL character in a name', at(0, 'Acme\u0000'), {}, [['name', /NUL character/]]],
  ['a lone surrogate in an external id', at(1, '001\ud800'), { externalIds: {} }, [['external_id:salesforce', /unpaired UTF-16 surrogate/]]],
  ['a NUL character in a custom attribute', at(7, '2\u00005'), {}, [['seats', /NUL character/]]],
  ['several bad cells, each named', at(7, 'lots').map((c, j) => (j === 6 ? 'gold' : c)), {}, [['plan', /gold/], ['seats', /lots/]]],
];

describe('mapImportRow', () => {
  const columns = columnsOf(HEADER);
  it.each(rows)('%s', (_name, cells, expected, errors) => {
    const row = mapImportRow(columns, cells, 7);
    expect(row.row).toBe(7);
    expect(row).toMatchObject(expected);
    expect(row.errors.map((e) => e.column)).toEqual(errors.map(([column]) => column));
    row.errors.forEach((e, i) => expect(e.message).toMatch(errors[i][1]));
  });

  it('reads health, a health score and a domain', () => {
    const cols = columnsOf(['external_id:hubspot', 'domain', 'health', 'health_score']);
    expect(mapImportRow(cols, ['h-1', 'https://WWW.Acme.com/about', 'Yellow', '64'], 2)).toMatchObject({ externalIds: { hubspot: 'h-1' }, domain: 'www.acme.com', health: 'yellow', healthScore: 64, errors: [] });
    expect(mapImportRow(cols, ['h-1', 'not a domain', 'amber', '101'], 2).errors.map((e) => e.column)).toEqual(['domain', 'health', 'health_score']);
  });

  it('skips blank records', () => {
    expect(isBlankRecord(['', ' ', ''])).toBe(true);
    expect(isBlankRecord([''])).toBe(true);
    expect(isBlankRecord(['', 'x'])).toBe(false);
  });
});

describe('rejectDuplicates', () => {
  const columns = columnsOf(['name', 'external_id:salesforce', 'external_id:hubspot', 'domain']);
  it('rejects every row sharing an external id or a domain, naming the others', () => {
    const mapped = [
      mapImportRow(columns, ['A', 'sf-1', 'hs-1', 'a.com'], 2),
      mapImportRow(columns, ['B', 'sf-2', 'hs-2', 'b.com'], 3),
      mapImportRow(columns, ['C', 'sf-1', 'hs-3', 'c.com'], 4),
      mapImportRow(columns, ['D', 'sf-4', 'hs-4', 'A.com'], 5),
      mapImportRow(columns, ['E', 'sf-1', 'hs-5', ''], 6),
      // The same id in another system is another id.
      mapImportRow(columns, ['F', 'sf-6', 'sf-2', ''], 7),
    ];
    rejectDuplicates(mapped);
    expect(mapped.map((r) => r.errors)).toEqual([
      [
        { column: 'external_id:salesforce', message: '"sf-1" is also on rows 4, 6: each external id once per file' },
        { column: 'domain', message: '"a.com" is also on row 5: each domain once per file' },
      ],
      [],
      [{ column: 'external_id:salesforce', message: '"sf-1" is also on rows 2, 6: each external id once per file' }],
      [{ column: 'domain', message: '"a.com" is also on row 2: each domain once per file' }],
      [{ column: 'external_id:salesforce', message: '"sf-1" is also on rows 2, 4: each external id once per file' }],
      [],
    ]);
  });
});

describe('planImportRow', () => {
  const acme: StoredAccount = {
    id: '11111111-1111-4111-8111-111111111111',
    name: 'Acme Analytics',
    domain: 'acme.com',
    assignedSegmentId: 'seg-high',
    csmId: 'user-casey',
    timezone: 'America/New_York',
    attributes: { arr: 186000, plan: 'enterprise', seats: 250, renewal_date: '2027-03-01' },
    healthStatus: 'green',
    healthScore: 80,
    externalIds: { salesforce: '001A' },
  };
  const globex: StoredAccount = { ...acme, id: '22222222-2222-4222-8222-222222222222', name: 'Globex', domain: 'globex.com', externalIds: { hubspot: 'hs-9', salesforce: '001G' } };
  const lookups = (over: Partial<ImportLookups> = {}): ImportLookups => ({
    mode: 'upsert',
    fields,
    externalIdOwners: new Map([
      [externalIdKey('salesforce', '001A'), acme.id],
      [externalIdKey('hubspot', 'hs-9'), globex.id],
      [externalIdKey('salesforce', '001G'), globex.id],
    ]),
    accounts: new Map([
      [acme.id, acme],
      [globex.id, globex],
    ]),
    users: new Map([['casey@cairn.local', 'user-casey'], ['morgan@cairn.local', 'user-morgan']]),
    segments: new Map([['high-touch', 'seg-high'], ['tech-touch', 'seg-tech']]),
    ruleSegmentKeys: new Set(['renewing-soon']),
    domainOwners: new Map([['acme.com', acme.id], ['globex.com', globex.id]]),
    ...over,
  });
  const plan = (header: string[], cells: string[], over: Partial<ImportLookups> = {}) => planImportRow(mapImportRow(columnsOf(header, over.mode), cells, 2), lookups(over));

  type PlanCase = [name: string, header: string[], cells: string[], over: Partial<ImportLookups>, expected: Record<string, unknown>];
  const cases: PlanCase[] = [
    ['the same values: unchanged', HEADER, good, {}, { status: 'unchanged', accountId: acme.id }],
    ['a changed column: updated, naming it', ['external_id:salesforce', 'seats', 'plan'], ['001A', '300', 'enterprise'], {}, { status: 'updated', accountId: acme.id, changed: ['seats'] }],
    ['empty cells keep what is stored', HEADER, ['', '001A', '', '', '', '', '', '', ''], {}, { status: 'unchanged' }],
    ['a new CSM and segment', ['external_id:salesforce', 'csm_email', 'segment_key'], ['001A', 'morgan@cairn.local', 'tech-touch'], {}, { status: 'updated', changed: ['segment_key', 'csm_email'] }],
    ['a second system id joins the account', ['external_id:salesforce', 'external_id:hubspot'], ['001A', 'hs-1'], {}, { status: 'updated', changed: ['external_id:hubspot'], newExternalIds: { hubspot: 'hs-1' } }],
    ['an unknown id: created', HEADER, at(1, '001NEW'), {}, { status: 'created', externalIds: { salesforce: '001NEW' }, values: expect.objectContaining({ name: 'Acme Analytics', assignedSegmentId: 'seg-high', csmId: 'user-casey', timezone: 'America/New_York', attributes: { arr: 186000, plan: 'enterprise', seats: 250, renewal_date: '2027-03-01' } }) }],
    ['a new account without a name', HEADER, at(1, '001NEW').map((c, j) => (j === 0 ? '' : c)), {}, { status: 'rejected', errors: [{ column: 'name', message: 'A new account needs a name' }] }],
    ['a new account without a segment', HEADER, at(1, '001NEW').map((c, j) => (j === 3 ? '' : c)), {}, { status: 'rejected', errors: [{ column: 'segment_key', message: 'A new account needs a segment_key' }] }],
    ['a new account without a required attribute', HEADER, at(1, '001NEW').map((c, j) => (j === 7 ? '' : c)), {}, { status: 'rejected', errors: [{ column: 'seats', message: 'seats is required for a new account' }] }],
    ['a required attribute with a bad value is named once', HEADER, at(1, '001NEW').map((c, j) => (j === 7 ? 'many' : c)), {}, { status: 'rejected', errors: [{ column: 'seats', message: expect.stringMatching(/"many" is not a number/) }] }],
    ['an unknown CSM and segment', HEADER, at(2, 'nobody@cairn.local').map((c, j) => (j === 3 ? 'vip' : c)), {}, { status: 'rejected', accountId: acme.id, errors: [{ column: 'csm_email', message: 'No user has the email nobody@cairn.local' }, { column: 'segment_key', message: 'No segment has the key "vip" (manual segments: high-touch, tech-touch)' }] }],
    ['a rule segment cannot be assigned', ['external_id:salesforce', 'segment_key'], ['001A', 'renewing-soon'], {}, { status: 'rejected', errors: [{ column: 'segment_key', message: expect.stringMatching(/"renewing-soon" is a rule segment: accounts enter it when its rule matches them/) }] }],
    ['ids naming two accounts', ['external_id:salesforce', 'external_id:hubspot'], ['001A', 'hs-9'], {}, { status: 'rejected', errors: [{ column: null, message: expect.stringMatching(/name different accounts: external_id:salesforce → "Acme Analytics" .*; external_id:hubspot → "Globex"/) }] }],
    ['another id for a system the account has', ['external_id:hubspot', 'external_id:salesforce'], ['hs-9', '001B'], {}, { status: 'rejected', errors: [{ column: 'external_id:salesforce', message: expect.stringMatching(/"Globex" .* has salesforce id/) }] }],
    ['no id at all in an upsert', ['name', 'external_id:salesforce', 'segment_key', 'seats'], ['Nobody', '', 'tech-touch', '3'], {}, { status: 'rejected', errors: [{ column: null, message: expect.stringMatching(/No external id to match the row on/) }] }],
    ['a known id in an insert', ['name', 'external_id:salesforce', 'segment_key', 'seats'], ['Acme', '001A', 'tech-touch', '3'], { mode: 'insert' }, { status: 'rejected', errors: [{ column: 'external_id:salesforce', message: expect.stringMatching(/has this id already \(import with mode=upsert/) }] }],
    ['an insert without ids', ['name', 'segment_key', 'seats'], ['Nobody', 'tech-touch', '3'], { mode: 'insert' }, { status: 'created', externalIds: {} }],
    ['a domain another account has', ['external_id:salesforce', 'domain'], ['001A', 'globex.com'], {}, { status: 'rejected', errors: [{ column: 'domain', message: expect.stringMatching(/globex.com is the domain of "Globex"/) }] }],
    ['its own domain', ['external_id:salesforce', 'domain'], ['001A', 'acme.com'], {}, { status: 'unchanged' }],
    ['a new health drops the old score', ['external_id:salesforce', 'health'], ['001A', 'red'], {}, { status: 'updated', changed: ['health', 'health_score'], values: expect.objectContaining({ healthStatus: 'red', healthScore: null }) }],
    ['a health score alone for an account with a health', ['external_id:salesforce', 'health_score'], ['001A', '55'], {}, { status: 'updated', changed: ['health_score'] }],
  ];

  it.each(cases)('%s', (_name, header, cells, over, expected) => {
    expect(plan(header, cells, over)).toMatchObject(expected);
  });

  it('refuses a health score without a health', () => {
    const bare = { ...acme, healthStatus: null, healthScore: null };
    const result = planImportRow(mapImportRow(columnsOf(['external_id:salesforce', 'health_score']), ['001A', '55'], 2), lookups({ accounts: new Map([[acme.id, bare]]) }));
    expect(result).toMatchObject({ status: 'rejected', errors: [{ column: 'health_score' }] });
  });

  it('keeps the errors the row brought', () => {
    const row = mapImportRow(columnsOf(HEADER), at(6, 'gold'), 2);
    expect(planImportRow(row, lookups())).toMatchObject({ status: 'rejected', accountId: acme.id, errors: [{ column: 'plan' }] });
  });
});

describe('import options', () => {
  it.each([
    [{}, { mode: 'upsert', dryRun: false, atomic: false }],
    [{ mode: 'insert', dryRun: 'true', atomic: 'true' }, { mode: 'insert', dryRun: true, atomic: true }],
  ])('%j', (query, expected) => {
    expect(importAccountsQuerySchema.parse(query)).toEqual(expected);
  });

  it.each([{ mode: 'merge' }, { dryRun: 'yes' }, { force: 'true' }])('refuses %j', (query) => {
    expect(importAccountsQuerySchema.safeParse(query).success).toBe(false);
  });
});
