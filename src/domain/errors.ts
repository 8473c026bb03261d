/**
 * A tool's input is wrong, found before anything is sent upstream (an impossible date, a range past
 * the maximum, an unknown athlete, a bad cursor, workout text that would not parse). Thrown by the
 * domain model and the tools; src/mcp/ turns it into a tool error with the message as written, so
 * the message says what is wrong and how to fix it. Upstream failures are IntervalsError instead.
 */
export class InputError extends Error {
  override name = 'InputError';
}
