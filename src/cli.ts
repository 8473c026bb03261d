#!/usr/bin/env node
/**
 * The `intervals-mcp` command.
 *
 *   intervals-mcp           MCP over stdio (Claude Desktop, Claude Code, other local clients)
 *   intervals-mcp http      the Streamable HTTP server (what the container runs)
 *   intervals-mcp check-key does the configured Intervals.icu key work? (exit 0/1/2)
 *
 * Only the launcher is loaded before the mode is known; each mode's modules load on demand.
 */
import { exitFailedToStart, prepareRuntime } from './launch.js';
import { VERSION } from './version.js';

const USAGE = `Usage: intervals-mcp [stdio | http | check-key]

  stdio           serve MCP over stdin/stdout, for Claude Desktop, Claude Code and other local
                  clients (the default: no argument does the same)
  http            serve MCP over Streamable HTTP (POST /mcp), as the container does
  check-key       check the configured Intervals.icu key with one call and print one line
                  (exit 0 = it works, 1 = it does not, 2 = invalid configuration)
  --version       print the version
  --help          print this help

Configuration comes from the environment (INTERVALS_API_KEY, INTERVALS_ATHLETE_ID, READ_ONLY, ...);
see the README.
`;

const [command, ...extra] = process.argv.slice(2);

async function main(): Promise<void> {
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  if (command === 'check-key' && !extra.length) {
    const { runCheckKey } = await import('./check-key.js');
    process.exit(await runCheckKey());
  }
  if (extra.length || (command !== undefined && command !== 'http' && command !== 'stdio')) {
    process.stderr.write(`intervals-mcp: unknown argument ${JSON.stringify(extra[0] ?? command)}\n\n${USAGE}`);
    process.exit(2);
  }
  prepareRuntime();
  if (command === 'http') {
    const { runHttp } = await import('./run-http.js');
    await runHttp();
  } else {
    const { runStdio } = await import('./run-stdio.js');
    await runStdio();
  }
}

main().catch(exitFailedToStart);
