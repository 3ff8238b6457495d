import { nodeTypes } from '@cairn/playbook';
import { unsupportedByEngine } from './engine-support';

describe('engine support', () => {
  it.each(nodeTypes)('runs every %s step of the language', (type) => {
    expect(unsupportedByEngine({ id: 'x', type, label: type, data: {}, next: {} })).toBeNull();
  });

  it('names a step type it does not know', () => {
    expect(unsupportedByEngine({ id: 'x', type: 'teleport' as never, label: 'x', data: {}, next: {} })).toMatch(/"teleport" steps/);
  });
});
