/**
 * The shape every tool has. Tool files import this support folder, the domain model (src/domain/),
 * zod and the Intervals.icu client; never another tool, and never the MCP SDK (src/mcp/ registers
 * them in one loop), so handlers stay pure functions of (arguments, context), tested without a server.
 */
import type * as z from 'zod';
import type { IntervalsClient } from '../../intervals/client.js';
import type { Athlete } from '../../intervals/schemas.js';

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** Reads: no side effects, same answer for the same upstream state. */
export const READ: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true };
/** Writes that add or change data without destroying any (creating a calendar entry). */
export const WRITE: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true };
/** Writes that overwrite or delete existing data. */
export const OVERWRITE: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true };

export interface ToolContext {
  client: IntervalsClient;
  /** The athlete this call is about: the `athlete_id` argument (coach mode) or the configured default. */
  athleteId: string;
  /** An athlete's profile (time zone, thresholds), cached across calls; default: this call's athlete. */
  athlete(athleteId?: string): Promise<Athlete>;
  /** The athlete's IANA time zone; dates in and out are local to it. */
  timezone(): Promise<string>;
  /** Today's date in the athlete's time zone (YYYY-MM-DD). */
  today(): Promise<string>;
  /** Clock, injected for tests. */
  now(): Date;
  /** Coach mode allowlist (the default athlete first). */
  athleteIds: readonly string[];
  /**
   * Refuse data of an athlete outside the configured ones (an activity id names no athlete until
   * it is fetched; the key may also read athletes its owner follows).
   */
  assertAllowedOwner(ownerId: string | null | undefined, what: string): Promise<void>;
  /** Drop the cached profile of an athlete after a write that changes it (sport settings). */
  invalidate?(athleteId: string): void;
  signal?: AbortSignal | undefined;
}

export interface ToolDefinition<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  /** snake_case verb_noun, ≤ 24 characters: prompts and clients depend on it. */
  name: string;
  title: string;
  /** When to use it, units and date formats; short: the whole catalogue is read by the model. */
  description: string;
  /**
   * All four hints, explicit. `readOnlyHint: false` is what makes a tool a write: it is left out
   * under READ_ONLY=true and must take `dry_run` (the registry test checks both).
   */
  annotations: ToolAnnotations;
  /** Takes the optional `athlete_id` argument in coach mode. */
  athleteScoped?: boolean;
  /** Only registered in coach mode (INTERVALS_ATHLETE_IDS set). */
  coachOnly?: boolean;
  input: I;
  output: O;
  handler(args: z.infer<I>, ctx: ToolContext): Promise<z.infer<O>>;
}

/** Identity function that keeps the input and output types linked for inference. */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(def: ToolDefinition<I, O>): ToolDefinition<I, O> {
  return def;
}

/** A tool of any input/output shape, as the registry holds it. */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds tools of every input/output type
export type AnyTool = ToolDefinition<any, any>;
