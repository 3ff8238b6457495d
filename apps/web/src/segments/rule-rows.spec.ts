import { buildRule, parseValue, rowsFromRule } from './rule-rows';

describe('parseValue', () => {
  it.each([
    ['eq', '42', 42],
    ['eq', 'enterprise', 'enterprise'],
    ['eq', 'true', true],
    ['eq', ' ', ''],
    ['in', 'emea, apac,, 3', ['emea', 'apac', 3]],
    ['exists', 'anything', undefined],
    ['within_next', '120', 120],
  ] as const)('%s %j → %j', (op, text, value) => expect(parseValue(op, text)).toEqual(value));
});

describe('buildRule', () => {
  it.each([
    ['one row is the comparison itself', 'all', [{ field: 'account.arr', op: 'gte', value: '50000' }], { field: 'account.arr', op: 'gte', value: 50000 }, []],
    [
      'rows joined by any',
      'any',
      [
        { field: 'account.plan', op: 'in', value: 'growth, enterprise' },
        { field: 'role.champion', op: 'not_exists', value: '' },
      ],
      { any: [{ field: 'account.plan', op: 'in', value: ['growth', 'enterprise'] }, { field: 'role.champion', op: 'not_exists' }] },
      [],
    ],
    ['no rows', 'all', [], null, ['Add a condition']],
    ['a field a segment may not read', 'all', [{ field: 'segment', op: 'eq', value: 'x' }], null, ['Condition 1 (field): A segment rule reads account.<attribute>, metric.<name> or role.<role>, not "segment"']],
    [
      'a number comparison with text, in the second row',
      'all',
      [
        { field: 'account.arr', op: 'gte', value: '1' },
        { field: 'metric.weekly_active_users', op: 'gt', value: 'many' },
      ],
      null,
      ['Condition 2 (value): "gt" compares numbers'],
    ],
  ] as const)('%s', (_, join, rows, rule, problems) => {
    const built = buildRule(join, rows.map((r) => ({ ...r })));
    expect(built.rule).toEqual(rule);
    expect(built.problems).toEqual(problems);
  });
});

describe('rowsFromRule', () => {
  it.each([
    [null, null],
    [{ field: 'account.arr', op: 'gte', value: 5 }, { join: 'all', rows: [{ field: 'account.arr', op: 'gte', value: '5' }] }],
    [{ any: [{ field: 'account.region', op: 'in', value: ['emea', 'apac'] }, { field: 'role.sponsor', op: 'exists' }] }, { join: 'any', rows: [{ field: 'account.region', op: 'in', value: 'emea, apac' }, { field: 'role.sponsor', op: 'exists', value: '' }] }],
    [{ all: [{ not: { field: 'account.arr', op: 'gt', value: 1 } }] }, null],
    [{ not: { field: 'account.arr', op: 'gt', value: 1 } }, null],
  ] as const)('%j → %j', (rule, rows) => expect(rowsFromRule(rule as never)).toEqual(rows));
});
