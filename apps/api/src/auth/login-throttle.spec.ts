import { LoginThrottle } from './login-throttle';

describe('LoginThrottle', () => {
  let now = 0;
  const throttle = () => new LoginThrottle(3, 60_000, () => now, 4);

  beforeEach(() => {
    now = 1_000_000;
  });

  type Step = ['fail' | 'ok' | 'wait', string, string | null, number?];
  const cases: Array<[name: string, steps: Step[], check: [email: string, ip: string | null, blockedMs: number]]> = [
    ['lets two failures through', [['fail', 'a@x', '1'], ['fail', 'a@x', '1']], ['a@x', '1', 0]],
    ['blocks at the third failure, for the rest of the window', [['fail', 'a@x', '1'], ['wait', '', null, 10_000], ['fail', 'a@x', '1'], ['fail', 'a@x', '1']], ['a@x', '1', 50_000]],
    ['counts per email: another email from the same IP is not blocked', [['fail', 'a@x', '1'], ['fail', 'a@x', '1'], ['fail', 'a@x', '1']], ['b@x', '1', 0]],
    ['counts per IP: the same email from another IP is not blocked', [['fail', 'a@x', '1'], ['fail', 'a@x', '1'], ['fail', 'a@x', '1']], ['a@x', '2', 0]],
    ['ignores the case of the email', [['fail', 'A@X', '1'], ['fail', 'a@x', '1'], ['fail', 'a@X', '1']], ['a@x', '1', 60_000]],
    ['forgets once the window has passed', [['fail', 'a@x', '1'], ['fail', 'a@x', '1'], ['fail', 'a@x', '1'], ['wait', '', null, 60_000]], ['a@x', '1', 0]],
    ['clears the count after a success', [['fail', 'a@x', '1'], ['fail', 'a@x', '1'], ['ok', 'a@x', '1'], ['fail', 'a@x', '1']], ['a@x', '1', 0]],
    ['treats an unknown IP as one IP', [['fail', 'a@x', null], ['fail', 'a@x', null], ['fail', 'a@x', null]], ['a@x', null, 60_000]],
  ];

  it.each(cases)('%s', (_name, steps, [email, ip, blocked]) => {
    const t = throttle();
    for (const [what, e, i, ms] of steps) {
      if (what === 'fail') t.recordFailure(e, i);
      else if (what === 'ok') t.recordSuccess(e, i);
      else now += ms ?? 0;
    }
    expect(t.blockedFor(email, ip)).toBe(blocked);
  });

  it('sweeps expired entries so memory stays bounded', () => {
    const t = throttle();
    for (let i = 0; i < 5; i++) t.recordFailure(`user${i}@x`, '1');
    now += 60_000;
    t.recordFailure('late@x', '1');
    expect(t.size).toBe(1);
  });
});
