/**
 * Test setup: sockets may only connect to loopback. Everything in the suite talks to servers on
 * 127.0.0.1 (the app, the fake Intervals.icu, the JWKS emulation); anything else is a bug that
 * would reach the internet, so it fails loudly instead. Names under the reserved .test, .invalid and
 * .example TLDs never resolve, so mocks may use them.
 */
import net from 'node:net';

/** Loopback, and the reserved test TLDs (RFC 2606) that nock mocks in the client tests. */
const LOOPBACK = /^(127(\.\d{1,3}){3}|::1|\[::1\]|localhost|[\w.-]+\.(test|invalid|example))$/i;
const connect = net.Socket.prototype.connect;

function targetHost(args: unknown[]): string | undefined {
  const first = args[0];
  if (Array.isArray(first)) return targetHost(first);
  if (first && typeof first === 'object') {
    const o = first as { path?: string; host?: string };
    return o.path ? undefined : (o.host ?? 'localhost');
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return undefined; // IPC path
  return typeof args[1] === 'string' ? args[1] : 'localhost';
}

net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
  const host = targetHost(args);
  if (host !== undefined && !LOOPBACK.test(host)) {
    throw new Error(`tests may not open network connections outside loopback (tried ${host})`);
  }
  return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;
