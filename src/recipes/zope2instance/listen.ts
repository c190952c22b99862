// Where the server of a written wsgi.ini listens, read from its `[server:main]` with the rules
// of the launcher (python/buildout_ts_wsgi/addresses.py `section_addresses`): a template may
// hard-code host and port instead of using %(http_address)s, and then the instance does not
// listen where http-address says. Light: node built-ins only.
import { parseTcpAddress, tcpAddress, type TcpAddress } from '../net.js';

/** The `[server:main]` keys of an ini text (configparser's `key = value`, continuation lines joined). */
export function serverSection(iniText: string, section = 'server:main'): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  let inside = false;
  let found = false;
  let last: string | undefined;
  for (const raw of iniText.split(/\r?\n/)) {
    const header = /^\[([^\]]+)\]/.exec(raw);
    if (header) {
      inside = header[1]!.trim() === section;
      found ||= inside;
      last = undefined;
      continue;
    }
    if (!inside || /^\s*[#;]/.test(raw) || raw.trim() === '') continue;
    if (/^\s/.test(raw) && last !== undefined) {
      out[last] = `${out[last]}\n${raw.trim()}`;
      continue;
    }
    const m = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(raw);
    if (m) {
      last = m[1]!.trim().toLowerCase();
      out[last] = m[2]!.trim();
    }
  }
  return found ? out : undefined;
}

/**
 * The addresses the server of `[server:main]` listens on (empty host: every interface), or
 * undefined when the ini does not say in a form we can read (interpolation, no section).
 */
export function serverAddresses(iniText: string): TcpAddress[] | undefined {
  const conf = serverSection(iniText);
  if (!conf) return undefined;
  if (Object.values(conf).some((v) => v.includes('%('))) return undefined;
  const use = conf.use ?? '';
  const bjoern = use.includes('bjoern');
  for (const key of ['fast-listen', 'listen']) {
    const v = conf[key]?.trim();
    if (v && !bjoern) return list(v);
  }
  if (use.includes('gunicorn') && conf.bind) return list(conf.bind.replace(/,/g, ' '));
  const host = conf.hostname || conf.host;
  const port = conf.port ? Number(conf.port) : 0;
  if (bjoern) {
    if (!host && !port && conf.listen) return list(conf.listen.trim().split(/\s+/)[0]!);
    return [tcpAddress(host ?? '', port || 8080)];
  }
  if (use.includes('gunicorn')) return [tcpAddress(host ?? '127.0.0.1', port || 8000)];
  // cheroot, werkzeug and others: host/port, the launcher's defaults
  return [tcpAddress(host ?? '', port || 8080)];
}

function list(value: string): TcpAddress[] | undefined {
  const out: TcpAddress[] = [];
  for (const item of value.split(/\s+/).filter(Boolean)) {
    const a = parseTcpAddress(item.includes(':') ? item : `0.0.0.0:${item}`);
    if (!a) return undefined;
    out.push(a);
  }
  return out;
}
