import net from 'node:net';

/**
 * Tests never touch the network: any socket to an address outside the loopback range fails the
 * connection at once, so a stray fetch shows up as an error instead of a silent request.
 */
const original = net.Socket.prototype.connect;
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/;

net.Socket.prototype.connect = function connect(this: net.Socket, ...args: unknown[]) {
  const first = args[0] as { host?: string; path?: string } | number | string;
  const host = typeof first === 'object' && first !== null ? first.host ?? (first.path ? 'localhost' : undefined) : typeof args[1] === 'string' ? args[1] : undefined;
  if (host !== undefined && !LOOPBACK.test(host)) {
    throw new Error(`test tried to reach ${host}: tests must not use the network`);
  }
  return (original as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;
