/**
 * Builds the per-call ToolContext. The athlete profile (time zone, thresholds) is cached per athlete
 * for a few minutes and shared by all requests, so a tool call costs one upstream request, not two;
 * concurrent misses share one in-flight fetch.
 */
import type { IntervalsClient } from '../../intervals/client.js';
import { InputError } from '../../intervals/errors.js';
import type { Athlete } from '../../intervals/schemas.js';
import { todayIn } from '../../domain/dates.js';
import type { ToolContext } from './tool.js';

export interface ContextDeps {
  client: IntervalsClient;
  athleteIds: readonly string[];
  now?: () => Date;
  profileTtlMs?: number;
}

export type ContextFactory = (athleteId: string | undefined, signal?: AbortSignal) => ToolContext;

export function createContextFactory(deps: ContextDeps): ContextFactory {
  const now = deps.now ?? (() => new Date());
  const ttl = deps.profileTtlMs ?? 10 * 60_000;
  const cache = new Map<string, { at: number; value: Promise<Athlete> }>();
  const profile = (athleteId: string): Promise<Athlete> => {
    const hit = cache.get(athleteId);
    if (hit && Date.now() - hit.at < ttl) return hit.value;
    const value = deps.client.getAthlete(athleteId);
    cache.set(athleteId, { at: Date.now(), value });
    value.catch(() => cache.delete(athleteId));
    if (cache.size > 64) cache.delete(cache.keys().next().value!);
    return value;
  };
  return (athleteId, signal) => {
    const id = athleteId ?? deps.athleteIds[0] ?? '0';
    const athlete = (other?: string) => profile(other ?? id);
    const timezone = async () => (await athlete()).timezone || 'UTC';
    return {
      client: deps.client,
      athleteId: id,
      athleteIds: deps.athleteIds,
      invalidate: (athleteId) => void cache.delete(athleteId),
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
