/**
 * Cold start of the stdio server: spawn → `initialize` → first `tools/list` answer, timed from the
 * spawn, over N fresh processes (default 9); prints each and the median. No upstream call is made
 * (tools/list needs none), so no network or real key is involved.
 *
 *   npm run build && npm run cold-start -- [runs] [-- command args...]
 *   default command: node dist/cli.js
 */
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const runs = Number(argv[0] && dash !== 0 ? argv[0] : 9);
const command = dash >= 0 ? argv.slice(dash + 1) : [process.execPath, 'dist/cli.js'];

export function coldStart(cmd = command, env = {}) {
  return new Promise((resolveRun, reject) => {
    const started = performance.now();
    const child = spawn(cmd[0], cmd.slice(1), {
      cwd: root,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH, HOME: process.env.HOME, INTERVALS_API_KEY: 'cold-start-no-upstream', LOG_LEVEL: 'silent', ...env },
    });
    let buf = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!done) reject(new Error(`exited ${code} before answering: ${stderr}`));
    });
    let done = false;
    const send = (m) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...m })}\n`);
    child.stdout.on('data', (d) => {
      buf += d;
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const msg = JSON.parse(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
        if (msg.id === 1) {
          send({ method: 'notifications/initialized' });
          send({ id: 2, method: 'tools/list' });
        } else if (msg.id === 2) {
          done = true;
          const ms = performance.now() - started;
          child.stdin.end();
          child.on('close', () => resolveRun({ ms, tools: msg.result.tools.length }));
        }
      }
    });
    send({
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'cold-start', version: '1' } },
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const { ms, tools } = await coldStart();
    times.push(ms);
    process.stdout.write(`run ${i + 1}: ${ms.toFixed(0)} ms (${tools} tools)\n`);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  process.stdout.write(
    `cold start (spawn → first tools/list), ${command.join(' ')}: median ${median.toFixed(0)} ms of ${runs} (min ${sorted[0].toFixed(0)}, max ${sorted.at(-1).toFixed(0)})\n`,
  );
}
