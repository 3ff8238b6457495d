import {
  type AccountField,
  type AccountFieldRule,
  coerceAttribute,
  createAccountFieldRequestSchema,
  fitStoredValue,
  mergeAccountField,
  missingRequired,
  updateAccountFieldRequestSchema,
  validateAttributes,
  type ValueSource,
} from './account-fields';

const field = (key: string, type: AccountFieldRule['type'], extra: Partial<AccountFieldRule> = {}): AccountFieldRule => ({
  key,
  type,
  options: type === 'enum' ? ['starter', 'growth', 'enterprise'] : [],
  currency: type === 'currency' ? 'USD' : null,
  required: false,
  ...extra,
});

const arr = field('arr', 'currency');
const arrEur = field('arr', 'currency', { currency: 'EUR' });
const plan = field('plan', 'enum');
const stage = field('lifecycle_stage', 'enum', { options: ['onboarding', 'value_realized', 'at_risk'] });
const seats = field('seats', 'number', { required: true });
const industry = field('industry', 'string');
const renewal = field('renewal_date', 'date');
const sso = field('sso', 'boolean');
const schema = [arr, plan, stage, seats, industry, renewal, sso];

type Coercion = [name: string, rule: AccountFieldRule, source: ValueSource, input: unknown, expected: string | number | boolean | { error: RegExp }];

const coercions: Coercion[] = [
  // Text from a CSV cell.
  ['a number', seats, 'text', '40', 40],
  ['a number with thousands', seats, 'text', '1,200', 1200],
  ['a negative decimal', seats, 'text', '-12.5', -12.5],
  ['a number padded with spaces', seats, 'text', '  40 ', 40],
  ['words are not a number', seats, 'text', 'forty', { error: /"forty" is not a number/ }],
  ['a European decimal is not guessed', seats, 'text', '1,5', { error: /not a number/ }],
  ['two numbers are not one', seats, 'text', '40 50', { error: /not a number/ }],
  ['an amount', arr, 'text', '186000', 186000],
  ['an amount with a dollar sign and thousands', arr, 'text', '$186,000.50', 186000.5],
  ['an amount with its code after', arr, 'text', '186000 USD', 186000],
  ['an amount with its code before, lower case', arr, 'text', 'usd 1,200', 1200],
  ['a negative amount', arr, 'text', '-$1,200', -1200],
  ['an amount in another currency', arr, 'text', '€1,200', { error: /arr is in USD; "€1,200" is not/ }],
  ['an amount in euros for a euro field', arrEur, 'text', '€1,200', 1200],
  ['a code that is not the field’s', arrEur, 'text', '1200 GBP', { error: /arr is in EUR/ }],
  ['a symbol and a code that disagree', arr, 'text', '$1200 EUR', { error: /mixes \$ and EUR/ }],
  ['an amount in European notation', arrEur, 'text', '€1.200,50', { error: /not an amount/ }],
  ['true', sso, 'text', 'TRUE', true],
  ['yes', sso, 'text', 'yes', true],
  ['0', sso, 'text', '0', false],
  ['n', sso, 'text', 'N', false],
  ['maybe', sso, 'text', 'maybe', { error: /not true or false/ }],
  ['an ISO date', renewal, 'text', '2027-03-01', '2027-03-01'],
  ['a timestamp keeps its date as written', renewal, 'text', '2027-03-01T23:30:00-05:00', '2027-03-01'],
  ['a timestamp in UTC', renewal, 'text', '2027-03-01T10:00:00.000Z', '2027-03-01'],
  ['a date with slashes, year first', renewal, 'text', '2027/3/1', '2027-03-01'],
  ['a date that does not exist', renewal, 'text', '2027-02-30', { error: /not a day of the calendar/ }],
  ['month 13', renewal, 'text', '2027-13-01', { error: /not a day of the calendar/ }],
  ['29 February of a leap year', renewal, 'text', '2028-02-29', '2028-02-29'],
  ['an ambiguous US/EU date', renewal, 'text', '03/01/2027', { error: /without guessing: write it as yyyy-mm-dd/ }],
  ['words', renewal, 'text', 'next spring', { error: /without guessing/ }],
  ['an option', plan, 'text', 'growth', 'growth'],
  ['an option in another case', plan, 'text', 'Enterprise', 'enterprise'],
  ['an option written in words', stage, 'text', 'Value realized', 'value_realized'],
  ['an option with dashes', stage, 'text', 'at-risk', 'at_risk'],
  ['not an option', plan, 'text', 'platinum', { error: /"platinum" is not an option of plan: give one of starter, growth, enterprise/ }],
  ['text', industry, 'text', ' Logistics ', 'Logistics'],
  ['text too long', industry, 'text', 'x'.repeat(2_001), { error: /Longer than 2,000 characters/ }],
  ['an empty cell', industry, 'text', '   ', { error: /Empty/ }],
  // Typed JSON (PATCH, POST): no guessing.
  ['json: a number', seats, 'json', 40, 40],
  ['json: a number as a string', seats, 'json', '40', { error: /seats is a number: give a number, not "40"/ }],
  ['json: infinity', seats, 'json', Number.POSITIVE_INFINITY, { error: /give a number/ }],
  ['json: an amount', arr, 'json', 186000.5, 186000.5],
  ['json: an amount as text', arr, 'json', '$186,000', { error: /arr is a USD amount/ }],
  ['json: a boolean', sso, 'json', false, false],
  ['json: "yes" is not a boolean', sso, 'json', 'yes', { error: /sso is true or false/ }],
  ['json: an ISO date', renewal, 'json', '2027-03-01', '2027-03-01'],
  ['json: a timestamp is not a date', renewal, 'json', '2027-03-01T00:00:00Z', { error: /renewal_date is a date/ }],
  ['json: an impossible date', renewal, 'json', '2027-02-29', { error: /renewal_date is a date/ }],
  ['json: an option, exactly', plan, 'json', 'growth', 'growth'],
  ['json: an option in another case is named', plan, 'json', 'Growth', { error: /did you mean "growth"/ }],
  ['json: a number for an enum', plan, 'json', 3, { error: /plan is one of starter, growth, enterprise/ }],
  ['json: text', industry, 'json', 'Retail', 'Retail'],
  ['json: blank text', industry, 'json', '  ', { error: /cannot be blank/ }],
  ['json: a number for text', industry, 'json', 7, { error: /industry is text/ }],
];

describe('account attribute values', () => {
  it.each(coercions)('%s', (_name, rule, source, input, expected) => {
    const result = coerceAttribute(rule, input, source);
    if (typeof expected === 'object') {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toMatch(expected.error);
    } else {
      expect(result).toEqual({ ok: true, value: expected });
    }
  });
});

type Validation = [name: string, input: Record<string, unknown>, source: ValueSource, value: Record<string, unknown>, issues: Array<[key: string, message: RegExp]>];

const validations: Validation[] = [
  ['every type at once', { arr: 1000, plan: 'growth', seats: 12, industry: 'Retail', renewal_date: '2027-01-01', sso: true }, 'json', { arr: 1000, plan: 'growth', seats: 12, industry: 'Retail', renewal_date: '2027-01-01', sso: true }, []],
  ['removing an optional attribute', { industry: null }, 'json', { industry: null }, []],
  ['removing a required attribute', { seats: null }, 'json', {}, [['seats', /seats is required/]]],
  ['an unknown attribute is named', { seats: 3, tier: 'gold' }, 'json', { seats: 3 }, [['tier', /"tier" is not an account field \(add it with POST \/api\/account-fields; fields: arr, plan/]]],
  ['one issue per bad key, good keys kept', { seats: 'many', plan: 'platinum', industry: 'Retail' }, 'json', { industry: 'Retail' }, [['seats', /seats is a number/], ['plan', /not an option of plan/]]],
  ['text is coerced', { seats: '1,200', renewal_date: '2027/3/1', plan: 'Enterprise', sso: 'yes' }, 'text', { seats: 1200, renewal_date: '2027-03-01', plan: 'enterprise', sso: true }, []],
  ['nothing', {}, 'json', {}, []],
];

describe('validateAttributes', () => {
  it.each(validations)('%s', (_name, input, source, value, issues) => {
    const result = validateAttributes(schema, input, source);
    expect(result.value).toEqual(value);
    expect(result.issues.map((i) => i.key)).toEqual(issues.map(([key]) => key));
    result.issues.forEach((issue, i) => expect(issue.message).toMatch(issues[i][1]));
  });

  it('lists the required fields an account lacks', () => {
    expect(missingRequired(schema, { seats: 3 })).toEqual([]);
    expect(missingRequired(schema, {})).toEqual(['seats']);
    expect(missingRequired(schema, { seats: null })).toEqual(['seats']);
  });
});

type Fit = [name: string, rule: AccountFieldRule, stored: unknown, expected: string | number | boolean | { error: RegExp }];

const fits: Fit[] = [
  ['a number stays a number', seats, 40, 40],
  ['numeric text becomes a number', seats, '40', 40],
  ['a number becomes text', industry, 40, '40'],
  ['a boolean becomes text', industry, true, 'true'],
  ['"yes" becomes true', sso, 'yes', true],
  ['1 becomes true', sso, 1, true],
  ['text that is no number does not fit', seats, 'forty', { error: /"forty" is not a number/ }],
  ['a value outside the options does not fit', plan, 'platinum', { error: /not an option of plan/ }],
  ['a value in another case takes the option', plan, 'Growth', 'growth'],
  ['an object is no attribute', industry, { a: 1 }, { error: /not a value an attribute holds/ }],
];

describe('fitStoredValue (a field changes type)', () => {
  it.each(fits)('%s', (_name, rule, stored, expected) => {
    const result = fitStoredValue(rule, stored);
    if (typeof expected === 'object') {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toMatch(expected.error);
    } else expect(result).toEqual({ ok: true, value: expected });
  });
});

type Definition = [name: string, body: unknown, paths: string[]];

const definitions: Definition[] = [
  ['a text field', { key: 'industry_group', label: 'Industry group', type: 'string' }, []],
  ['an enum with options', { key: 'tier', label: 'Tier', type: 'enum', options: ['gold', 'silver'] }, []],
  ['a currency in EUR', { key: 'mrr', label: 'MRR', type: 'currency', currency: 'EUR', required: false }, []],
  ['a date named *_date', { key: 'go_live_date', label: 'Go-live', type: 'date' }, []],
  ['an enum without options', { key: 'tier', label: 'Tier', type: 'enum' }, ['options']],
  ['an enum listing an option twice', { key: 'tier', label: 'Tier', type: 'enum', options: ['Gold', 'gold'] }, ['options[1]']],
  ['options on a number', { key: 'tier', label: 'Tier', type: 'number', options: ['1'] }, ['options']],
  ['a currency code on text', { key: 'note', label: 'Note', type: 'string', currency: 'USD' }, ['currency']],
  ['a currency code in lower case', { key: 'mrr', label: 'MRR', type: 'currency', currency: 'usd' }, ['currency']],
  ['a date not named *_date', { key: 'go_live', label: 'Go-live', type: 'date' }, ['type']],
  ['a *_date that is text', { key: 'go_live_date', label: 'Go-live', type: 'string' }, ['type']],
  ['a key in camel case', { key: 'goLive', label: 'Go-live', type: 'string' }, ['key']],
  ['a reserved key', { key: 'timezone', label: 'Zone', type: 'string' }, ['key']],
  ['built in by request (mass assignment)', { key: 'tier', label: 'Tier', type: 'string', builtIn: true }, ['']],
  ['no label', { key: 'tier', label: ' ', type: 'string' }, ['label']],
  ['an unknown type', { key: 'tier', label: 'Tier', type: 'json' }, ['type']],
];

describe('field definitions', () => {
  it.each(definitions)('%s', (_name, body, paths) => {
    const result = createAccountFieldRequestSchema.safeParse(body);
    expect(result.success).toBe(paths.length === 0);
    if (!result.success) expect(result.error.issues.map((i) => i.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace('.[', '['))).toEqual(paths);
  });

  const stored = (over: Partial<AccountField>): AccountField => ({ key: 'tier', label: 'Tier', description: '', type: 'string', options: [], currency: null, required: false, builtIn: false, position: 9, ...over });

  type Merge = [name: string, existing: AccountField, change: unknown, expected: Partial<AccountField> | string[]];
  const merges: Merge[] = [
    ['relabel', stored({}), { label: 'Customer tier' }, { label: 'Customer tier', type: 'string' }],
    ['text becomes an enum with options', stored({}), { type: 'enum', options: ['gold'] }, { type: 'enum', options: ['gold'] }],
    ['text becomes an enum without options', stored({}), { type: 'enum' }, ['options']],
    ['an enum becomes text: its options go', stored({ type: 'enum', options: ['gold'] }), { type: 'string' }, { type: 'string', options: [] }],
    ['a number becomes a currency (USD unless given)', stored({ type: 'number' }), { type: 'currency' }, { type: 'currency', currency: 'USD' }],
    ['a currency changes its code', stored({ type: 'currency', currency: 'USD' }), { currency: 'EUR' }, { currency: 'EUR' }],
    ['a built-in field keeps its type', stored({ key: 'seats', type: 'number', builtIn: true }), { type: 'string' }, ['type']],
    ['a built-in field may become required', stored({ key: 'seats', type: 'number', builtIn: true }), { required: true }, { required: true }],
    ['lifecycle_stage keeps the stages playbooks set', stored({ key: 'lifecycle_stage', type: 'enum', options: ['onboarding', 'adopting', 'value_realized', 'expanding', 'renewing', 'at_risk', 'churned'], builtIn: true }), { options: ['onboarding', 'churned'] }, ['options']],
    ['lifecycle_stage may gain a stage', stored({ key: 'lifecycle_stage', type: 'enum', options: ['onboarding', 'adopting', 'value_realized', 'expanding', 'renewing', 'at_risk', 'churned'], builtIn: true }), { options: ['onboarding', 'adopting', 'value_realized', 'expanding', 'renewing', 'at_risk', 'churned', 'paused'] }, { type: 'enum' }],
    ['a *_date stays a date', stored({ key: 'go_live_date', type: 'date' }), { type: 'string' }, ['type']],
  ];

  it.each(merges)('a change: %s', (_name, existing, change, expected) => {
    const result = mergeAccountField(existing, updateAccountFieldRequestSchema.parse(change));
    if (Array.isArray(expected)) {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.issues.map((i) => i.path[0])).toEqual(expected);
    } else {
      expect(result.ok).toBe(true);
      if (result.ok) expect(result.field).toMatchObject(expected);
    }
  });

  it('refuses an empty change', () => {
    expect(updateAccountFieldRequestSchema.safeParse({}).success).toBe(false);
    expect(updateAccountFieldRequestSchema.safeParse({ key: 'other' }).success).toBe(false);
  });
});
