/**
 * `npm run demo`: the real server wired to the fake Intervals.icu and its sample athlete, so a
 * newcomer can connect MCP Inspector or Claude without an account. Loopback only, no auth.
 */
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/main.js';
import { startFakeIntervals } from '../test/fake-intervals/index.js';

const apiKey = 'demo-api-key';
const fake = await startFakeIntervals({ apiKey, port: Number(process.env.FAKE_PORT ?? 0) });
const config = loadConfig({
  INTERVALS_API_KEY: apiKey,
  INTERVALS_BASE_URL: fake.url,
  HOST: '127.0.0.1',
  PORT: process.env.PORT ?? '8000',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  READ_ONLY: process.env.READ_ONLY ?? 'false',
});
const server = await startServer(config);
process.stdout.write(
  `\nDemo ready: MCP endpoint ${server.url}/mcp (fake Intervals.icu at ${fake.url}, sample athlete "Sam Sample").\n` +
    `MCP Inspector: run npx @modelcontextprotocol/inspector, choose transport "Streamable HTTP", URL ${server.url}/mcp\n` +
    'Press Ctrl+C to stop.\n\n',
);
const stop = async () => {
  await server.close();
  await fake.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
