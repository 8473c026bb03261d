import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fingerprint } from '../intervals/fingerprint.js';
import { createLogger } from '../logger.js';
import { Users } from './users.js';
import { loadUsersFile, UsersFileError } from './users-file.js';

const dir = mkdtempSync(join(tmpdir(), 'users-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'a.key'), 'secret-key-aaa\n');
writeFileSync(join(dir, 'b.key'), 'secret-key-bbb');
writeFileSync(join(dir, 'empty.key'), '  \n');
const SECRETS = ['secret-key-aaa', 'secret-key-bbb'];

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

function refusal(path: string): string {
  let caught: unknown;
  try {
    loadUsersFile(path);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(UsersFileError);
  const msg = (caught as Error).message;
  for (const s of SECRETS) expect(msg).not.toContain(s);
  return msg;
}

describe('loadUsersFile', () => {
  it('reads JSON with defaults: athlete 0, no coached athletes, writable; emails lower-cased; keys trimmed', () => {
    const p = file('u.json', JSON.stringify({ users: [{ email: 'Alice@Example.com', api_key_file: 'a.key' }] }));
    const [a] = loadUsersFile(p);
    expect(a).toEqual({
      email: 'alice@example.com',
      apiKey: 'secret-key-aaa',
      fingerprint: fingerprint('api_key', 'secret-key-aaa'),
      athleteIds: ['0'],
      readOnly: false,
      keyFile: join(dir, 'a.key'),
    });
  });

  it('reads YAML with every field; absolute and relative key paths; coached athletes after the own one', () => {
    const p = file(
      'u.yaml',
      `users:\n  - email: a@example.com\n    api_key_file: ${join(dir, 'a.key')}\n    athlete_id: i1\n    athlete_ids: [i2, i1, i3]\n    read_only: true\n  - email: b@example.com\n    api_key_file: b.key\n    athlete_id: 17\n`,
    );
    const users = loadUsersFile(p);
    expect(users.map((u) => [u.email, u.athleteIds, u.readOnly])).toEqual([
      ['a@example.com', ['i1', 'i2', 'i3'], true],
      ['b@example.com', ['17'], false],
    ]);
  });

  it('names each bad entry, all at once, and never a key', () => {
    const p = file(
      'bad.yaml',
      [
        'users:',
        '  - email: not-an-email',
        '    api_key_file: a.key',
        '  - email: c@example.com',
        '    api_key_file: missing.key',
        '  - email: d@example.com',
        '    api_key_file: empty.key',
        '  - email: A@example.com',
        '    api_key_file: a.key',
        '  - email: a@example.com',
        '    api_key_file: b.key',
        '  - email: e@example.com',
        '    api_key_file: a.key',
        '    athlete_id: me',
        '    apikey: secret-key-aaa',
      ].join('\n'),
    );
    const msg = refusal(p);
    expect(msg).toContain('users[0] (not-an-email): email must be an email address');
    expect(msg).toContain(`users[1] (c@example.com): api_key_file ${join(dir, 'missing.key')} cannot be read (ENOENT)`);
    expect(msg).toContain(`users[2] (d@example.com): api_key_file ${join(dir, 'empty.key')} is empty`);
    expect(msg).toContain('users[4] (a@example.com): duplicate email (also users[3])');
    expect(msg).toContain('users[5] (e@example.com): unknown field(s) apikey');
    expect(msg).toContain('users[5] (e@example.com): athlete_id');
  });

  it('refuses an unreadable key file by its error code', () => {
    if (process.getuid?.() === 0) return; // root reads anything
    const locked = join(dir, 'locked.key');
    writeFileSync(locked, 'k');
    chmodSync(locked, 0o000);
    expect(refusal(file('l.json', JSON.stringify({ users: [{ email: 'x@example.com', api_key_file: 'locked.key' }] })))).toMatch(/EACCES/);
  });

  it('refuses a missing file, bad syntax, the wrong shape and an empty list, saying what is expected', () => {
    expect(refusal(join(dir, 'nope.yaml'))).toMatch(/cannot be read \(ENOENT\)/);
    expect(refusal(file('s.json', '{"users": [secret-key-aaa'))).toMatch(/is not valid JSON/);
    expect(refusal(file('s.yaml', 'users:\n  - email: [a\n  secret-key-aaa: {'))).toMatch(/is not valid YAML \(line \d+, column \d+\)/);
    expect(refusal(file('w.yaml', '- email: a@example.com\n'))).toMatch(/expected \{"users": \[/);
    expect(refusal(file('x.yaml', 'users: []\n'))).toMatch(/lists nobody/);
    expect(refusal(file('y.yaml', 'users: [{email: a@example.com, api_key_file: a.key}]\nextra: 1\n'))).toMatch(/unknown field\(s\) extra/);
  });
});

describe('Users: reload', () => {
  const logger = createLogger('silent');

  it('SIGHUP-style reload swaps the list; a broken file keeps the previous one', () => {
    const p = file('r.yaml', 'users:\n  - email: a@example.com\n    api_key_file: a.key\n');
    const users = new Users(p, { logger, pollMs: 0 });
    expect(users.get('A@example.com')?.apiKey).toBe('secret-key-aaa');
    expect(users.get('b@example.com')).toBeUndefined();
    writeFileSync(p, 'users:\n  - email: b@example.com\n    api_key_file: b.key\n');
    expect(users.reload()).toBe(true);
    expect(users.get('a@example.com')).toBeUndefined();
    expect(users.get('b@example.com')?.apiKey).toBe('secret-key-bbb');
    writeFileSync(p, 'users:\n  - email: b@example.com\n    api_key_file: gone.key\n');
    expect(users.reload()).toBe(false);
    expect(users.get('b@example.com')?.apiKey).toBe('secret-key-bbb');
    users.close();
  });

  it('notices a changed list or key file on the next poll', () => {
    const p = file('p.yaml', 'users:\n  - email: a@example.com\n    api_key_file: p.key\n');
    writeFileSync(join(dir, 'p.key'), 'key-one');
    const seen: string[] = [];
    const users = new Users(p, { logger, pollMs: 0, onReload: (l) => seen.push(l.map((u) => u.apiKey).join()) });
    users.reloadIfChanged();
    expect(seen).toEqual([]); // nothing changed
    writeFileSync(join(dir, 'p.key'), 'key-two-longer');
    users.reloadIfChanged();
    expect(users.get('a@example.com')?.apiKey).toBe('key-two-longer');
    expect(seen).toEqual(['key-two-longer']);
    users.close();
  });

  it('refuses to start on a bad file (a configuration error)', () => {
    expect(() => new Users(join(dir, 'absent.yaml'), { logger, pollMs: 0 })).toThrow(UsersFileError);
  });
});
