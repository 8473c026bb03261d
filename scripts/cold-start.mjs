/**
 * Cold start of the stdio server: spawn → `initialize` → first `tools/list` answer, timed from the
 * spawn, over N fresh processes (default 9); prints each and the median. On Linux it also prints the
 * CPU time the process had used by then (user + system, from /proc; 10 ms resolution), which other
 * work on the machine disturbs far less than the wall time. No upstream call is made (tools/list
 * needs none), so no network or real key is involved.
 *
 *   npm run build && npm run cold-start -- [runs] [-- command args...]
 *   default command: node dist/cli.js
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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
          const cpuMs = cpuOf(child.pid);
          child.stdin.end();
          child.on('close', () => resolveRun({ ms, cpuMs, tools: msg.result.tools.length }));
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

/** User + system CPU ms the process has used (Linux /proc; clock ticks of 10 ms), or undefined. */
function cpuOf(pid) {
  const file = `/proc/${pid}/stat`;
  if (!existsSync(file)) return undefined;
  const stat = readFileSync(file, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const times = [];
  const cpus = [];
  for (let i = 0; i < runs; i++) {
    const { ms, cpuMs, tools } = await coldStart();
    times.push(ms);
    if (cpuMs !== undefined) cpus.push(cpuMs);
    process.stdout.write(`run ${i + 1}: ${ms.toFixed(0)} ms${cpuMs === undefined ? '' : `, cpu ${cpuMs} ms`} (${tools} tools)\n`);
  }
  const sorted = [...times].sort((a, b) => a - b);
  process.stdout.write(
    `cold start (spawn → first tools/list), ${command.join(' ')}: median ${median(times).toFixed(0)} ms of ${runs} (min ${sorted[0].toFixed(0)}, max ${sorted.at(-1).toFixed(0)})` +
      (cpus.length ? `; cpu median ${median(cpus)} ms` : '') +
      '\n',
  );
}
