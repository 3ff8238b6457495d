import { createHash } from 'node:crypto';
import { canonicalJson, sha256Hex } from './hash';

const nodeSha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('sha256Hex', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
  ])('matches the FIPS test vector for %p', (input, expected) => expect(sha256Hex(input)).toBe(expected));

  it.each(['é✓😀 multi-byte', 'playbook'.repeat(10_000), 'x'.repeat(55), 'x'.repeat(56), 'x'.repeat(64)])('agrees with node:crypto (%#)', (text) =>
    expect(sha256Hex(text)).toBe(nodeSha256(text)),
  );
});

describe('canonicalJson', () => {
  it('sorts keys and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }] })).toBe('{"a":[{"d":2}],"b":1}');
  });
});
