import { templates } from '@cairn/playbook';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT, run } from './cli';

const dir = mkdtempSync(join(tmpdir(), 'cairn-cli-'));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

const valid = file('onboarding.playbook.json', JSON.stringify(templates['onboarding-kickoff']));
const broken = (() => {
  const doc = structuredClone(templates['onboarding-kickoff']) as { nodes: Array<{ id: string; data: Record<string, unknown> }> };
  (doc.nodes.find((n) => n.id === 'wait-3d') as { data: Record<string, unknown> }).data.duration = 'soon';
  return file('broken.playbook.json', JSON.stringify(doc));
})();
const notJson = file('garbage.playbook.json', '{ nodes: [');

function cairn(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = run(argv, { readFile: (p) => readFileSync(p, 'utf8'), out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('cairn', () => {
  it.each([
    ['a valid playbook', [valid], EXIT.ok],
    ['an invalid playbook', [broken], EXIT.invalid],
    ['a valid and an invalid one', [valid, broken], EXIT.invalid],
    ['a file that is not JSON', [notJson], EXIT.usage],
    ['a missing file', [join(dir, 'missing.json')], EXIT.usage],
    ['a directory', [dir], EXIT.usage],
    ['no file at all', [], EXIT.usage],
  ])('validate: %s', (_name, files, code) => {
    const result = cairn('validate', ...files);
    expect(result.code).toBe(code);
    expect(`${result.out}${result.err}`).not.toMatch(/\n\s+at /); // never a stack trace
  });

  it('names the node, field and code of each problem', () => {
    const { out } = cairn('validate', broken);
    expect(out).toContain('node.invalid_data');
    expect(out).toContain('nodes[1].data.duration');
    expect(out).toContain('node wait-3d');
  });

  it('gives machine-readable results with --json', () => {
    const { code, out } = cairn('validate', valid, broken, '--json');
    expect(code).toBe(EXIT.invalid);
    const results = JSON.parse(out);
    expect(results.map((r: { valid: boolean }) => r.valid)).toEqual([true, false]);
    expect(results[1].diagnostics[0]).toMatchObject({ code: 'node.invalid_data', nodeId: 'wait-3d', path: 'nodes[1].data.duration' });
  });

  it('compiles to the plan with its timeline', () => {
    const { code, out } = cairn('compile', valid);
    expect(code).toBe(EXIT.ok);
    const plan = JSON.parse(out);
    expect(plan).toMatchObject({ key: 'onboarding-kickoff', entryStepId: 'start', hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(plan.timeline['approve-kickoff']).toEqual({ earliestDay: 3, latestDay: 3 });
  });

  it('refuses to compile an invalid playbook', () => {
    expect(cairn('compile', broken)).toMatchObject({ code: EXIT.invalid, out: '' });
  });

  it('simulates what fires when, and why', () => {
    const { code, out } = cairn('simulate', valid, '--decisions', '{"approve-kickoff":{"decision":"approved","afterDays":1}}');
    expect(code).toBe(EXIT.ok);
    expect(out).toMatch(/day {4}3\.00 {2}waiting .*CSM approves kickoff/);
    expect(out).toContain('completed on day 4: Reached the end of the playbook');
  });

  it('reads simulation input from files, and reports bad input as usage errors', () => {
    const account = file('account.json', JSON.stringify({ name: 'Acme', segment: 'high-touch' }));
    expect(cairn('simulate', valid, '--account', account, '--json').code).toBe(EXIT.ok);
    expect(cairn('simulate', valid, '--account', '{"segmnt":"x"}').code).toBe(EXIT.usage);
    expect(cairn('simulate', valid, '--events', '[{ oops').code).toBe(EXIT.usage);
    expect(cairn('simulate', valid, '--account').code).toBe(EXIT.usage);
    expect(cairn('validate', valid, '--account', account).code).toBe(EXIT.usage);
  });

  it('prints the JSON Schema', () => {
    const schema = JSON.parse(cairn('schema').out);
    expect(schema.title).toBe('Cairn playbook');
    expect(JSON.stringify(schema)).toContain('wait_for');
  });

  it.each([['frobnicate'], ['validate', valid, '--yaml']])('rejects %p with usage', (...argv) => {
    const { code, err } = cairn(...argv);
    expect(code).toBe(EXIT.usage);
    expect(err).toContain('usage: cairn');
  });
});
