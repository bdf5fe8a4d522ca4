/** A Redis node address. */
export interface RedisNode {
  host: string;
  port: number;
}

/** Where and how to connect, parsed from a store URL. */
export type RedisTarget =
  | { kind: 'standalone'; url: string }
  | { kind: 'sentinel'; sentinels: RedisNode[]; masterName: string; password?: string }
  | { kind: 'cluster'; nodes: RedisNode[]; password?: string };

const DEFAULT_PORT = 6379;
const DEFAULT_SENTINEL_PORT = 26379;
const LIST_URL = /^(redis-sentinel|redis-cluster):\/\/(?:([^@/]*)@)?([^/?#]+)(?:\/([^?#]*))?$/;

/**
 * Parses a store URL: `redis://` or `rediss://` (standalone, as ioredis reads it),
 * `redis-sentinel://[:password@]host:port,host:port/<masterName>` (Sentinel; the password is
 * the master's) or `redis-cluster://[:password@]host:port,host:port` (Cluster seed nodes).
 * Throws TypeError on anything else; the message never repeats the password.
 */
export function parseRedisUrl(url: string): RedisTarget {
  if (/^rediss?:\/\//.test(url)) return { kind: 'standalone', url };

  const match = LIST_URL.exec(url);
  if (!match)
    throw new TypeError(
      'store url must start with redis://, rediss://, redis-sentinel:// or redis-cluster://',
    );

  const [, scheme, auth, hostList, path] = match;
  const password = parsePassword(auth);
  if (scheme === 'redis-sentinel') {
    const masterName = decodeURIComponent(path ?? '');
    if (!masterName) throw new TypeError('redis-sentinel url must name the master: /<masterName>');

    return {
      kind: 'sentinel',
      sentinels: parseNodes(hostList, DEFAULT_SENTINEL_PORT),
      masterName,
      password,
    };
  }
  if (path) throw new TypeError('redis-cluster url takes no path');

  return { kind: 'cluster', nodes: parseNodes(hostList, DEFAULT_PORT), password };
}

function parsePassword(auth: string | undefined): string | undefined {
  if (!auth) return undefined;

  const colon = auth.indexOf(':');
  const password = colon === -1 ? auth : auth.slice(colon + 1);

  return password ? decodeURIComponent(password) : undefined;
}

function parseNodes(list: string, defaultPort: number): RedisNode[] {
  return list.split(',').map((item) => {
    const match = /^(\[[^\]]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(item.trim());
    if (!match) throw new TypeError(`invalid redis node address: ${item}`);

    const host = match[1].replace(/^\[|\]$/g, '');
    const port = match[2] ? Number(match[2]) : defaultPort;
    if (port < 1 || port > 65535) throw new TypeError(`invalid redis node port: ${item}`);

    return { host, port };
  });
}
