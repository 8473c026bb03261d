/**
 * Builds the per-call ToolContext. The athlete profile (time zone, thresholds) is cached per
 * credential and athlete for a few minutes and shared by that credential's requests, so a tool call
 * costs one upstream request, not two; concurrent misses share one in-flight fetch. With several
 * people (per-user or oauth credentials) one ProfileCache serves everyone, keyed by the credential's
 * fingerprint (a hash, never the secret) and the athlete: one person's `0` is never another's.
 */

import { todayIn } from '../../domain/dates.js';
import { InputError } from '../../domain/errors.js';
import type { IntervalsClient } from '../../intervals/client.js';
import type { Athlete } from '../../intervals/schemas.js';
import type { ToolContext } from './tool.js';

export interface ContextDeps {
  client: IntervalsClient;
  athleteIds: readonly string[];
  now?: () => Date;
  profileTtlMs?: number;
  /** Fingerprint of the client's credential: the profile cache key's first half. */
  credential?: string;
  /** A cache shared with other credentials' factories (default: this factory's own). */
  profiles?: ProfileCache;
}

export type ContextFactory = (athleteId: string | undefined, signal?: AbortSignal) => ToolContext;

/** Athlete profiles by (credential fingerprint, athlete id), bounded in size. */
export class ProfileCache {
  private readonly map = new Map<string, { at: number; value: Promise<Athlete> }>();
  constructor(readonly maxEntries = 64) {}

  get(credential: string, athleteId: string, ttlMs: number, load: () => Promise<Athlete>): Promise<Athlete> {
    const key = `${credential}\u0000${athleteId}`;
    const hit = this.map.get(key);
    if (hit && Date.now() - hit.at < ttlMs) return hit.value;
    const value = load();
    const entry = { at: Date.now(), value };
    this.map.set(key, entry);
    // Only the entry this call made: a newer fetch that replaced it stays.
    value.catch(() => this.map.get(key) === entry && this.map.delete(key));
    if (this.map.size > this.maxEntries) this.map.delete(this.map.keys().next().value!);
    return value;
  }

  delete(credential: string, athleteId: string): void {
    this.map.delete(`${credential}\u0000${athleteId}`);
  }
}

export function createContextFactory(deps: ContextDeps): ContextFactory {
  const now = deps.now ?? (() => new Date());
  const ttl = deps.profileTtlMs ?? 10 * 60_000;
  const cache = deps.profiles ?? new ProfileCache();
  const credential = deps.credential ?? '';
  const profile = (athleteId: string): Promise<Athlete> => cache.get(credential, athleteId, ttl, () => deps.client.getAthlete(athleteId));
  return (athleteId, signal) => {
    const id = athleteId ?? deps.athleteIds[0] ?? '0';
    const athlete = (other?: string) => profile(other ?? id);
    const timezone = async () => (await athlete()).timezone || 'UTC';
    return {
      client: deps.client,
      athleteId: id,
      athleteIds: deps.athleteIds,
      invalidate: (athleteId) => cache.delete(credential, athleteId),
      async assertAllowedOwner(ownerId, what) {
        if (!ownerId || deps.athleteIds.includes(ownerId)) return;
        // `0` stands for the key's owner, whose real id the cached profile knows.
        if (deps.athleteIds.includes('0') && (await profile('0')).id === ownerId) return;
        throw new InputError(`${what} belongs to athlete ${ownerId}, who is not one of the configured athletes.`);
      },
      athlete,
      timezone,
      today: async () => todayIn(await timezone(), now()),
      now,
      signal,
    };
  };
}
