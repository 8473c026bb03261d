/**
 * A V8 CPU profile (`node --cpu-prof`) summed up: self time per function and per package, as a
 * share of the busy time (everything but idle). Used by `npm run bench -- --profile`.
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives: `src/...`, an npm package, `node:` internals or V8 itself. */
function origin(url: string): string {
  if (!url) return '(v8/native)';
  if (url.startsWith('node:')) return 'node internals';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.includes('/src/') || url.startsWith('file:///src/')) return 'ours (src/)';
  return url.replace(/^file:\/\//, '');
}

/** Maps a line of an unminified esbuild bundle to the module it came from (esbuild's `// path` comments). */
export function bundleSources(bundleUrl: string, text: string): (f: CallFrame) => CallFrame {
  const starts: { line: number; path: string }[] = [];
  text.split('\n').forEach((l, i) => {
    const m = /^\/\/ ((?:src|node_modules)\/\S+)$/.exec(l);
    if (m) starts.push({ line: i, path: m[1]! });
  });
  return (f) => {
    if (f.url !== bundleUrl) return f;
    let lo = 0;
    let hi = starts.length - 1;
    let hit: (typeof starts)[number] | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]!.line <= f.lineNumber) {
        hit = starts[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    // The module, not its line: bundle lines do not match source lines.
    return hit ? { ...f, url: `file:///${hit.path}`, lineNumber: -1 } : f;
  };
}

function where(f: CallFrame): string {
  if (!f.url) return '';
  const nm = f.url.lastIndexOf('/node_modules/');
  const short =
    nm >= 0 ? f.url.slice(nm + '/node_modules/'.length) : f.url.includes('/src/') ? f.url.slice(f.url.indexOf('/src/') + 1) : f.url;
  const path = short.replace(/^file:\/\//, '');
  return f.lineNumber < 0 ? path : `${path}:${f.lineNumber + 1}`;
}

export function summariseProfile(profile: CpuProfile, top = 20, map: (f: CallFrame) => CallFrame = (f) => f): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, { ...n, callFrame: map(n.callFrame) }]));
  const self = new Map<string, number>();
  const byOrigin = new Map<string, number>();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const f = byId.get(id)!.callFrame;
    total += dt;
    if (f.functionName === '(idle)') {
      idle += dt;
      return;
    }
    const key = `${f.functionName || '(anonymous)'}  ${where(f)}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    const o = f.functionName.startsWith('(') ? f.functionName : origin(f.url);
    byOrigin.set(o, (byOrigin.get(o) ?? 0) + dt);
  });
  const busy = total - idle;
  const pct = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)} %`;
  const lines = [
    `  busy ${(busy / 1000).toFixed(0)} ms of ${(total / 1000).toFixed(0)} ms sampled; self time as a share of busy time`,
    '  by origin:',
  ];
  for (const [o, us] of [...byOrigin].sort((a, b) => b[1] - a[1]).slice(0, 12)) lines.push(`    ${pct(us)}  ${o}`);
  lines.push(`  top ${top} functions:`);
  for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`    ${pct(us)}  ${k}`);
  return lines.join('\n');
}
