/**
 * The live list of people (per-user mode): loaded and validated at start (a bad file stops the
 * server), then reloaded on SIGHUP or when the file or one of its key files changes (polled, so it
 * works on bind mounts and Docker secrets, where inotify events are unreliable).
 *
 * A reload swaps the whole list at once. Requests already running keep the entry they resolved, so
 * nothing in flight is dropped; the next request sees the new list. A reload that fails validation
 * is logged (naming the entry, never a key) and the previous list stays in force.
 */
import { dirname } from 'node:path';
import type { Logger } from '../logger.js';
import { fileSignature, loadUsersFile, type UserEntry, UsersFileError } from './users-file.js';

export interface UsersOptions {
  logger: Logger;
  /** Poll period for changes; 0 disables polling (SIGHUP still reloads). */
  pollMs: number;
  /** Called after every successful reload with the new list. */
  onReload?: (users: readonly UserEntry[]) => void;
}

export class Users {
  private byEmail: Map<string, UserEntry>;
  private signature: string;
  private timer: NodeJS.Timeout | undefined;
  private readonly log: Logger;

  /** Throws UsersFileError (a start-up refusal) when the file is not usable. */
  constructor(
    readonly path: string,
    private readonly opts: UsersOptions,
  ) {
    this.log = opts.logger.child({ component: 'users' });
    const users = loadUsersFile(path);
    this.byEmail = new Map(users.map((u) => [u.email, u]));
    this.signature = this.currentSignature(users);
    this.log.info(
      { people: users.length, fingerprints: users.map((u) => ({ email: u.email, credential: u.fingerprint })) },
      'users file loaded',
    );
    if (opts.pollMs > 0) {
      this.timer = setInterval(() => this.reloadIfChanged(), opts.pollMs);
      this.timer.unref();
    }
  }

  get(email: string | undefined): UserEntry | undefined {
    return email ? this.byEmail.get(email.toLowerCase()) : undefined;
  }

  list(): UserEntry[] {
    return [...this.byEmail.values()];
  }

  /** Re-read the file now (SIGHUP). Returns whether the new list is in force. */
  reload(reason = 'SIGHUP'): boolean {
    let users: UserEntry[];
    try {
      users = loadUsersFile(this.path);
    } catch (err) {
      // Remember what failed, so a broken file is reported once, not on every poll.
      this.signature = this.currentSignature(this.list());
      const message = err instanceof UsersFileError ? err.message : 'unexpected error while reading the users file';
      this.log.error({ reason, error: message }, 'users file NOT reloaded; the previous list stays in force');
      return false;
    }
    const before = this.byEmail;
    this.byEmail = new Map(users.map((u) => [u.email, u]));
    this.signature = this.currentSignature(users);
    const added = users.filter((u) => !before.has(u.email)).map((u) => u.email);
    const removed = [...before.keys()].filter((e) => !this.byEmail.has(e));
    const changed = users.filter((u) => before.has(u.email) && before.get(u.email)!.fingerprint !== u.fingerprint).map((u) => u.email);
    this.log.info({ reason, people: users.length, added, removed, keyChanged: changed }, 'users file reloaded');
    this.opts.onReload?.(users);
    return true;
  }

  /** One poll: reload when the list file or any key file changed on disk. */
  reloadIfChanged(): void {
    const now = this.currentSignature(this.list());
    if (now !== this.signature) this.reload('file changed');
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private currentSignature(users: readonly UserEntry[]): string {
    // The folder too: a key file added next to the list (for an entry that failed to load) changes its mtime.
    return fileSignature([this.path, dirname(this.path), ...users.map((u) => u.keyFile)]);
  }
}
