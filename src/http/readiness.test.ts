import { describe, expect, it } from 'vitest';
import { type LogLine, logSink } from '../../test/support/logs.js';
import { createLogger } from '../logger.js';
import { UpstreamReadiness, type UpstreamVerdict } from './readiness.js';

const OK: UpstreamVerdict = { ok: true, reason: 'fine', message: 'key accepted' };
const BAD: UpstreamVerdict = { ok: false, cause: 'key_rejected', reason: 'rejected (401)', message: 'key rejected', severity: 'error' };
const DOWN: UpstreamVerdict = { ok: false, cause: 'unreachable', reason: 'unreachable', message: 'cannot reach', severity: 'warn' };

function setup(answers: (UpstreamVerdict | 'hang' | 'throw')[], cacheMs = 60_000, timeoutMs = 1_000) {
  const lines: LogLine[] = [];
  const logger = createLogger('info', logSink(lines));
  let t = 0;
  let calls = 0;
  const readiness = new UpstreamReadiness({
    probe: (signal) => {
      const a = answers[Math.min(calls++, answers.length - 1)]!;
      if (a === 'throw') return Promise.reject(new TypeError('boom'));
      if (a === 'hang') {
        return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)));
      }
      return Promise.resolve(a);
    },
    cacheMs,
    timeoutMs,
    logger,
    now: () => t,
  });
  return { readiness, lines, calls: () => calls, advance: (ms: number) => (t += ms) };
}

describe('UpstreamReadiness', () => {
  it('probes once per cache period, however often asked, and shares a probe in flight', async () => {
    const s = setup([OK]);
    const [a, b, c] = await Promise.all([s.readiness.check(), s.readiness.check(), s.readiness.check()]);
    expect([a, b, c]).toEqual([OK, OK, OK]);
    expect(s.calls()).toBe(1);
    s.advance(59_999);
    await s.readiness.check();
    expect(s.calls()).toBe(1);
    s.advance(1);
    await s.readiness.check();
    expect(s.calls()).toBe(2);
  });

  it('logs the first verdict and then only changes, each at its severity', async () => {
    const s = setup([BAD, BAD, DOWN, OK, OK]);
    for (let i = 0; i < 5; i++) {
      await s.readiness.check();
      s.advance(60_000);
    }
    expect(s.calls()).toBe(5);
    expect(s.lines.map((l) => [l.level, l.upstream, l.msg])).toEqual([
      [50, 'key_rejected', 'key rejected'],
      [40, 'unreachable', 'cannot reach'],
      [30, 'ok', 'key accepted'],
    ]);
  });

  it('a probe that does not answer in time is a timeout verdict; one that throws is a failed check', async () => {
    const hang = setup(['hang'], 60_000, 20);
    expect(await hang.readiness.check()).toMatchObject({
      ok: false,
      cause: 'timeout',
      reason: 'Intervals.icu did not answer within 20 ms',
    });
    const boom = setup(['throw']);
    expect(await boom.readiness.check()).toMatchObject({ ok: false, cause: 'check_failed' });
    expect(JSON.stringify(boom.lines)).toContain('TypeError');
  });
});
