import { describe, expect, it } from 'vitest';
import { InputError } from '../domain/errors.js';
import type { IntervalsClient } from '../intervals/client.js';
import { IntervalsError } from '../intervals/errors.js';
import { fingerprint } from '../intervals/fingerprint.js';
import { explainError, explainingClient, isWriteMethod, scopeArea } from './client-errors.js';
import { createCursorSealer } from './cursor-seal.js';
import { bearerToken } from './router.js';

describe('fingerprint', () => {
  it('is stable, short, kind-tagged and not the secret', () => {
    expect(fingerprint('api_key', 'abc')).toBe(fingerprint('api_key', 'abc'));
    expect(fingerprint('api_key', 'abc')).toMatch(/^k-[0-9a-f]{12}$/);
    expect(fingerprint('bearer', 'abc')).toMatch(/^t-[0-9a-f]{12}$/);
    expect(fingerprint('api_key', 'abc')).not.toBe(fingerprint('api_key', 'abd'));
  });
});

describe('cursor seal', () => {
  const sealer = createCursorSealer();
  it('opens for the same credential and athlete only', () => {
    const sealed = sealer('k-1').seal('list_activities:o=2026-01-01', 'i1');
    expect(sealer('k-1').open(sealed, 'i1')).toBe('list_activities:o=2026-01-01');
    expect(() => sealer('k-2').open(sealed, 'i1')).toThrow(InputError);
    expect(() => sealer('k-1').open(sealed, 'i2')).toThrow(/not issued to you/);
    expect(() => sealer('k-1').open('list_activities:o=2026-01-01', 'i1')).toThrow(InputError);
    expect(() => sealer('k-1').open(sealed.replace('2026', '2025'), 'i1')).toThrow(InputError);
  });
  it('another process (restart) cannot open it', () => {
    const sealed = sealer('k-1').seal('c', '0');
    expect(() => createCursorSealer()('k-1').open(sealed, '0')).toThrow(InputError);
  });
});

describe('bearerToken', () => {
  it('takes one well-formed Bearer header only', () => {
    expect(bearerToken('Bearer abc.DEF-123_~+/=')).toBe('abc.DEF-123_~+/=');
    expect(bearerToken('bearer tok')).toBe('tok');
    expect(bearerToken('Bearer a:b!c$')).toBe('a:b!c$'); // whatever Intervals.icu issues: a refusal here would loop
    for (const bad of [undefined, '', 'Bearer', 'Bearer ', 'Basic abc', 'Bearer a b', ['Bearer a', 'Bearer b']])
      expect(bearerToken(bad)).toBeUndefined();
  });
});

describe('explaining upstream auth failures', () => {
  const oauth = { mode: 'oauth', reconnectUrl: 'https://mcp.example.com/.pomerium/routes' } as const;
  it('maps client methods to scope areas and writes', () => {
    expect(['createEvent', 'updateWellness', 'updateSportSettings', 'listFolders', 'getActivity', 'getAthlete'].map(scopeArea)).toEqual([
      'CALENDAR',
      'WELLNESS',
      'SETTINGS',
      'LIBRARY',
      'ACTIVITY',
      'SETTINGS',
    ]);
    expect(isWriteMethod('upsertEvents')).toBe(true);
    expect(isWriteMethod('listEvents')).toBe(false);
  });
  it('oauth 401: reconnect at the routes page, as a tool error', () => {
    const e = explainError(new IntervalsError('auth', 'x', 401), 'listActivities', oauth) as IntervalsError;
    expect(e.message).toMatch(/open https:\/\/mcp\.example\.com\/\.pomerium\/routes, press Disconnect next to this server, then Connect/);
  });
  it('oauth 403 on a write names the permission; on a read says what may be wrong', () => {
    const w = explainError(new IntervalsError('forbidden', 'x', 403), 'createEvent', oauth) as IntervalsError;
    expect(w.message).toMatch(/lacks the CALENDAR:WRITE permission/);
    expect(w.message).toMatch(/grant CALENDAR:WRITE/);
    const r = explainError(new IntervalsError('forbidden', 'x', 403), 'listWellness', oauth) as IntervalsError;
    expect(r.message).toMatch(/WELLNESS:READ/);
  });
  it('per-user 401 names the person, not INTERVALS_API_KEY; other errors pass through unchanged', () => {
    const e = explainError(new IntervalsError('auth', 'x', 401), 'getAthlete', {
      mode: 'per-user',
      email: 'a@example.com',
    }) as IntervalsError;
    expect(e.message).toMatch(/configured for a@example\.com/);
    expect(e.message).not.toMatch(/INTERVALS_API_KEY/);
    const nf = new IntervalsError('not_found', 'gone', 404);
    expect(explainError(nf, 'getActivity', oauth)).toBe(nf);
  });
  it('the wrapping client rewrites rejections and passes everything else through', async () => {
    const fake = {
      baseUrl: 'u',
      createEvent: () => Promise.reject(new IntervalsError('forbidden', 'x', 403)),
      getAthlete: () => Promise.resolve({ id: 'i1' }),
    } as unknown as IntervalsClient;
    const c = explainingClient(fake, oauth);
    expect(c.baseUrl).toBe('u');
    await expect(c.getAthlete()).resolves.toEqual({ id: 'i1' });
    await expect(c.createEvent('0', {})).rejects.toThrow(/CALENDAR:WRITE/);
  });
});
