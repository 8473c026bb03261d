/** Capturing the server's real pino output in tests: every JSON line parsed (and kept raw). */
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logger.js';

export type LogLine = { level: number; msg: string } & Record<string, unknown>;

/** A destination for pino that parses each line into `lines` (and keeps its text in `raw`). */
export function logSink(lines: LogLine[], raw?: string[]): Writable {
  return new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n')) {
        if (!line.trim()) continue;
        raw?.push(line);
        lines.push(JSON.parse(line) as LogLine);
      }
      cb();
    },
  });
}

export interface CapturedLogs {
  logger: Logger;
  lines: LogLine[];
  raw: string[];
}

/** A real pino logger at `level` whose every line is kept (parsed and raw). */
export function captureLogs(level: 'info' | 'debug' = 'debug'): CapturedLogs {
  const lines: LogLine[] = [];
  const raw: string[] = [];
  return { logger: createLogger(level, logSink(lines, raw)), lines, raw };
}
