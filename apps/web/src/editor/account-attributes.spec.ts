import { attributeKeys, FALLBACK_ATTRIBUTES } from './account-attributes';

const field = (key: string) => ({ key, label: key, description: '', type: 'string' as const, options: [], currency: null, required: false, builtIn: false, position: 0 });

describe('account attributes for the condition builder', () => {
  it.each<[string, Parameters<typeof attributeKeys>[0], string[]]>([
    ['the workspace’s fields, in their order', { items: [field('arr'), field('plan'), field('nps_score')] }, ['arr', 'plan', 'nps_score']],
    ['the built-ins when the fields could not be read', null, [...FALLBACK_ATTRIBUTES]],
    ['the built-ins when the list is empty', { items: [] }, [...FALLBACK_ATTRIBUTES]],
  ])('%s', (_name, page, expected) => {
    expect(attributeKeys(page)).toEqual(expected);
  });

  it('falls back to the built-in fields', () => {
    expect(FALLBACK_ATTRIBUTES).toEqual(['arr', 'plan', 'seats', 'industry', 'region', 'start_date', 'renewal_date', 'lifecycle_stage']);
  });
});
