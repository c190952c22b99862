// `extends = https://…`: downloads a config file, through `extends-cache`
// when one is configured (offline runs then read the cached copy).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BuildoutError, formatLoc, type Loc } from '../errors.js';
import { writeFileAtomic } from '../state/atomic-write.js';

/** Without a numeric socket-timeout. */
const DEFAULT_TIMEOUT_SECONDS = 30;

/** The text at `url`. `from` is the `extends` line that names it, for errors. */
export async function readUrl(url: string, policy: { offline: boolean; newest?: boolean; cacheDir?: string; timeoutSeconds?: number }, from?: Loc): Promise<string> {
  const named = from ? ` (named in ${formatLoc(from)})` : '';
  if (url.startsWith('file://')) return readFileUrl(url, named, from);
  // the cache file is named after the URL's md5, as zc.buildout names it
  const cached = policy.cacheDir ? join(policy.cacheDir, createHash('md5').update(url).digest('hex')) : undefined;
  // with newest = false a cached copy is used as it is; otherwise it is only the fallback
  if (policy.newest === false && cached && existsSync(cached)) return readFileSync(cached, 'utf8');
  if (policy.offline) {
    if (cached && existsSync(cached)) return readFileSync(cached, 'utf8');
    throw new BuildoutError('DownloadError', `Couldn't download '${url}' in offline mode${named}.`, {
      loc: from,
      hint: policy.cacheDir ? `Run once without -o (offline) so the file lands in extends-cache (${policy.cacheDir}), or extend a local copy.` : 'Set extends-cache in [buildout] and run once online so that offline runs find a copy, or extend a local copy.',
    });
  }
  let text: string;
  const seconds = policy.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(seconds * 1000) });
    if (!res.ok) throw new HttpStatus(res.status, res.statusText);
    text = await res.text();
  } catch (e) {
    if (cached && existsSync(cached)) return readFileSync(cached, 'utf8');
    const why = describeFailure(e, url, seconds);
    throw new BuildoutError('DownloadError', `Couldn't download ${url}${named}: ${why.reason}`, { loc: from, hint: why.hint, cause: e });
  }
  if (cached && policy.cacheDir) {
    mkdirSync(policy.cacheDir, { recursive: true });
    writeFileAtomic(cached, text);
  }
  return text;
}

/** What went wrong with a download, in words, and what to do about it. */
export function describeFailure(e: unknown, url: string, seconds: number): { reason: string; hint: string } {
  const host = hostOf(url);
  if (e instanceof HttpStatus) {
    return {
      reason: `the server answered HTTP ${e.status}${e.statusText ? ` ${e.statusText}` : ''}`,
      hint: e.status === 404 || e.status === 410 ? 'Check the URL: the file is not (or no longer) there.' : 'Try again later, or download the file and extend it by path.',
    };
  }
  const name = (e as { name?: string } | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return { reason: `no answer within ${seconds} s (timeout)`, hint: `Check that ${host} is reachable from this machine; socket-timeout (or -t SECS) sets how long to wait.` };
  const cause = (e as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  const code = cause?.code ?? (e as { code?: string } | undefined)?.code;
  switch (code) {
    case 'ENOTFOUND':
      return { reason: `the host name ${host} could not be resolved (DNS)`, hint: 'Check the spelling of the host name and the network (DNS) settings.' };
    case 'EAI_AGAIN':
      return { reason: `the host name ${host} could not be resolved right now (DNS temporarily unavailable)`, hint: 'Check the network connection and try again.' };
    case 'ECONNREFUSED':
      return { reason: `the connection to ${host} was refused`, hint: 'Check the port in the URL and that the server is running.' };
    case 'ECONNRESET':
      return { reason: `the connection to ${host} was reset`, hint: 'Try again; a proxy or firewall may be interfering.' };
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return { reason: `the connection to ${host} timed out`, hint: `Check that ${host} is reachable from this machine, or download the file and extend it by path.` };
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return { reason: `the network to ${host} is unreachable`, hint: 'Check the network connection, or run offline (-o) with an extends-cache.' };
  }
  if (code && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO/.test(code)) return { reason: `the TLS certificate of ${host} was not accepted (${code})`, hint: 'Check the certificate of the server, or NODE_EXTRA_CA_CERTS for a private certificate authority.' };
  const detail = cause?.message ?? (e instanceof Error ? e.message : String(e));
  if (detail === 'bad port') return { reason: `fetch refuses to connect to the port of ${host} (a port reserved for other protocols)`, hint: 'Use the usual HTTP(S) port of the server.' };
  return { reason: code ? `${detail} (${code})` : detail, hint: 'Check the URL and the network, or download the file and extend it by path.' };
}

// --- internal ---

class HttpStatus extends Error {
  constructor(
    readonly status: number,
    readonly statusText: string,
  ) {
    super(`HTTP ${status}`);
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function readFileUrl(url: string, named: string, from: Loc | undefined): string {
  try {
    return readFileSync(new URL(url), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new BuildoutError('FileNotFound', `Configuration file ${url} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(e)})`}${named}.`, { loc: from });
  }
}
