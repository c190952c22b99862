// TCP addresses as the recipes write them (`host:port`, `[v6]:port`, a bare `port`, `*:port`)
// and as clients on this machine reach them. Light (no zod): used by resolve-time hooks to
// compare the addresses of a site's ZEO server, instances and balancer.

export interface TcpAddress {
  /** '' means every interface (a bare port, `*`, `0.0.0.0`, `::`) */
  host: string;
  port: number;
}

/** Every-interface hosts: they clash with any host on the same port. */
const WILDCARD = new Set(['', '*', '0.0.0.0', '::', '[::]']);

/**
 * One address item; `defaultHost` is what a bare port means (waitress and the recipe: 0.0.0.0).
 * Returns undefined for a unix socket path or text that is not an address.
 */
export function parseTcpAddress(item: string, defaultHost = ''): TcpAddress | undefined {
  const text = item.trim();
  if (text === '' || text.includes('/')) return undefined;
  if (/^\d+$/.test(text)) return { host: defaultHost, port: Number(text) };
  const colon = text.lastIndexOf(':');
  if (colon < 0) return undefined;
  const port = text.slice(colon + 1);
  if (!/^\d+$/.test(port)) return undefined;
  let host = text.slice(0, colon);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return { host: WILDCARD.has(host) ? '' : host, port: Number(port) };
}

/** An address from a host (brackets optional) and a port, every-interface hosts as ''. */
export function tcpAddress(host: string, port: number): TcpAddress {
  const h = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return { host: WILDCARD.has(h) ? '' : h, port };
}

/** The host a client on this machine uses for a server bound to `host` (loopback for every-interface). */
export function connectHost(host: string): string {
  if (WILDCARD.has(host)) return '127.0.0.1';
  return host;
}

/** `host:port` for people and for haproxy (`[v6]:port`; every interface shown as 0.0.0.0). */
export function formatAddress(a: TcpAddress): string {
  const host = a.host === '' ? '0.0.0.0' : a.host;
  return host.includes(':') ? `[${host}]:${a.port}` : `${host}:${a.port}`;
}

/** The address clients connect to, formatted. */
export function connectAddress(a: TcpAddress): string {
  return formatAddress({ host: connectHost(a.host), port: a.port });
}

/** Two listeners cannot both bind: same port, and the same host or one of them on every interface. */
export function addressesClash(a: TcpAddress, b: TcpAddress): boolean {
  if (a.port !== b.port) return false;
  return a.host === '' || b.host === '' || normaliseHost(a.host) === normaliseHost(b.host);
}

function normaliseHost(host: string): string {
  const h = host.toLowerCase();
  return h === 'localhost' ? '127.0.0.1' : h;
}

/** Whether a host is a loopback address (stats pages and admin sockets belong there). */
export function isLoopback(host: string): boolean {
  const h = normaliseHost(host);
  return h.startsWith('127.') || h === '::1';
}
