import { type Logger, type LoggerOptions, pino } from 'pino';

export type { Logger };

/**
 * Header and field names that may carry a credential or an identity assertion. They are censored
 * wherever they appear in a log object, so no code path can log the API key by accident.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-pomerium-jwt-assertion"]',
  'req.headers["x-pomerium-jwt-assertion-for"]',
  'headers.authorization',
  'authorization',
  'apiKey',
  'api_key',
  '*.apiKey',
  'intervals.apiKey',
  'config.intervals.apiKey',
];

export function createLogger(level: LoggerOptions['level'] = 'info', destination?: pino.DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    base: { service: 'intervals-mcp' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
