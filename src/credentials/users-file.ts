/**
 * The per-user credentials file (USERS_FILE), JSON or YAML:
 *
 *   {"users": [{"email": "alice@example.com", "api_key_file": "alice.key",
 *               "athlete_id": "i123", "athlete_ids": ["i456"], "read_only": false}]}
 *
 * `api_key_file` is a path, relative paths resolve against the users file's folder (so one mounted
 * folder holds the list and the keys). Everything is checked before the file is used: well-formed
 * and unique emails, known fields only, valid athlete ids, every key file readable and non-empty.
 * Each problem names its entry (`users[1] (bob@example.com)`) and never a key.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import * as z from 'zod';
import { ATHLETE_ID_PATTERN, ConfigError } from '../config.js';
import { fingerprint } from '../intervals/fingerprint.js';

/** One person, as the server uses them. */
export interface UserEntry {
  /** Lower-cased. */
  readonly email: string;
  readonly apiKey: string;
  /** Hash of the key (logs, cache keys, the fair queue). */
  readonly fingerprint: string;
  /** The athlete first (default `0` = the key's owner), then the athletes this person coaches. */
  readonly athleteIds: readonly string[];
  readonly readOnly: boolean;
  /** Absolute path of the key file (watched for changes). */
  readonly keyFile: string;
}

/** A users file that cannot be used; at start this is a configuration error (exit 2, one line). */
export class UsersFileError extends ConfigError {
  override name = 'UsersFileError';
}

const EMAIL = /^[^\s@,;<>"']+@[^\s@,;<>"']+\.[^\s@,;<>"']+$/;
const athleteId = z.string().trim().regex(ATHLETE_ID_PATTERN, 'must be 0, i<digits> or <digits>');

const Entry = z
  .object({
    email: z.string().trim().regex(EMAIL, 'must be an email address like name@example.com'),
    api_key_file: z.string().trim().min(1, 'must name a file holding the Intervals.icu API key'),
    athlete_id: z.union([athleteId, z.number().int().nonnegative().transform(String).pipe(athleteId)]).default('0'),
    athlete_ids: z.array(athleteId).default([]),
    read_only: z.boolean().default(false),
  })
  .strict();

const FileShape = z.object({ users: z.array(z.unknown()).min(1, 'lists nobody: add at least one person') }).strict();

/** Read, parse and validate the users file. Throws UsersFileError with one line per problem. */
export function loadUsersFile(path: string): UserEntry[] {
  const where = `USERS_FILE ${path}`;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsersFileError(`${where} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const raw = parseText(text, path, where);
  const shape = FileShape.safeParse(raw);
  if (!shape.success) {
    const issue = shape.error.issues[0]!;
    const field = issue.path.length ? issue.path.join('.') : 'the top level';
    throw new UsersFileError(
      `${where}: ${field} ${issue.code === 'unrecognized_keys' ? `has unknown field(s) ${issue.keys.join(', ')}` : issue.message} (expected {"users": [{"email": ..., "api_key_file": ...}]})`,
    );
  }
  const base = dirname(path);
  const problems: string[] = [];
  const users: UserEntry[] = [];
  const seen = new Map<string, number>();
  shape.data.users.forEach((item, i) => {
    const email = typeof (item as { email?: unknown })?.email === 'string' ? String((item as { email: string }).email).trim() : '';
    const label = `users[${i}]${email ? ` (${email})` : ''}`;
    const parsed = Entry.safeParse(item);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        if (issue.code === 'unrecognized_keys') problems.push(`${label}: unknown field(s) ${issue.keys.join(', ')}`);
        else problems.push(`${label}: ${issue.path.join('.') || 'entry'} ${issue.path.length ? issue.message : 'must be an object'}`);
      }
      return;
    }
    const e = parsed.data;
    const lower = e.email.toLowerCase();
    const first = seen.get(lower);
    if (first !== undefined) {
      problems.push(`${label}: duplicate email (also users[${first}])`);
      return;
    }
    seen.set(lower, i);
    const keyFile = isAbsolute(e.api_key_file) ? e.api_key_file : resolve(base, e.api_key_file);
    let apiKey: string;
    try {
      apiKey = readFileSync(keyFile, 'utf8').trim();
    } catch (err) {
      problems.push(`${label}: api_key_file ${keyFile} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      return;
    }
    if (!apiKey) {
      problems.push(`${label}: api_key_file ${keyFile} is empty`);
      return;
    }
    if (/\s/.test(apiKey)) {
      problems.push(`${label}: api_key_file ${keyFile} holds more than one word (expected just the API key)`);
      return;
    }
    users.push({
      email: lower,
      apiKey,
      fingerprint: fingerprint('api_key', apiKey),
      athleteIds: [...new Set([e.athlete_id, ...e.athlete_ids])],
      readOnly: e.read_only,
      keyFile,
    });
  });
  if (problems.length) throw new UsersFileError(`${where}: ${problems.join('; ')}`);
  return users;
}

function parseText(text: string, path: string, where: string): unknown {
  const json = extname(path).toLowerCase() === '.json' || /^\s*\{/.test(text);
  if (json) {
    try {
      return JSON.parse(text);
    } catch (err) {
      // The position only: a parser's excerpt of the file is not worth the risk of echoing a pasted key.
      const at = /position (\d+)/.exec((err as Error).message)?.[1];
      throw new UsersFileError(`${where} is not valid JSON${at ? ` (at character ${at})` : ''}`);
    }
  }
  try {
    // prettyErrors computes line/column; its excerpt of the file (message) is never shown.
    return parseYaml(text, { prettyErrors: true, maxAliasCount: 50 });
  } catch (err) {
    const pos = err instanceof YAMLParseError ? err.linePos?.[0] : undefined;
    throw new UsersFileError(`${where} is not valid YAML${pos ? ` (line ${pos.line}, column ${pos.col})` : ''}`);
  }
}

/** What identifies the file's current contents on disk: the list and every key file (size, mtime, inode). */
export function fileSignature(paths: readonly string[]): string {
  return paths
    .map((p) => {
      try {
        const s = statSync(p);
        return `${p}:${s.ino}:${s.size}:${s.mtimeMs}`;
      } catch {
        return `${p}:missing`;
      }
    })
    .join('|');
}
