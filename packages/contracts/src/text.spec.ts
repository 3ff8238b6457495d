import { findUnstorableText, unstorableTextReason } from './text';

describe('unstorableTextReason', () => {
  it.each([
    ['plain text', 'Acme Corp', null],
    ['an empty string', '', null],
    ['accents and CJK', 'Société 株式会社', null],
    ['an emoji (a surrogate pair)', 'ship it 🚀', null],
    ['a NUL character', 'a\u0000b', 'NUL'],
    ['a lone high surrogate', 'x\ud800', 'unpaired'],
    ['a lone low surrogate', '\udc00x', 'unpaired'],
    ['a pair reversed', '\ude80\ud83d', 'unpaired'],
    ['a high surrogate before a letter', '\ud83dx', 'unpaired'],
  ])('%s', (_name, text, expected) => {
    const reason = unstorableTextReason(text);
    if (expected === null) expect(reason).toBeNull();
    else expect(reason).toContain(expected);
  });
});

describe('findUnstorableText', () => {
  it.each<[string, unknown, Array<string | number> | null]>([
    ['a clean object', { name: 'Acme', data: { seats: 12, tags: ['a', 'b'] } }, null],
    ['numbers, booleans and null', [1, true, null, 2.5], null],
    ['a bad top-level string', 'a\u0000', []],
    ['a bad nested value', { data: { note: 'ok', items: [{ label: 'x\ud800' }] } }, ['data', 'items', 0, 'label']],
    ['a bad key names its object', { data: { 'k\u0000': 1 } }, ['data']],
    ['the first bad field in document order', { a: 'ok', b: 'x\u0000', c: 'y\u0000' }, ['b']],
  ])('%s', (_name, value, path) => {
    expect(findUnstorableText(value)?.path ?? null).toEqual(path);
  });

  it('walks a very deep value without overflowing the stack', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findUnstorableText(deep)?.path).toHaveLength(100_000);
  });
});
