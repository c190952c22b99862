// `extends = https://…`: downloads a config file, through `extends-cache`
// when one is configured (offline runs then read the cached copy).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BuildoutError } from '../errors.js';
import { writeFileAtomic } from '../state/atomic-write.js';

export async function readUrl(url: string, policy: { offline: boolean; newest?: boolean; cacheDir?: string }): Promise<string> {
  if (url.startsWith('file://')) return readFileSync(new URL(url), 'utf8');
  // the cache file is named after the URL's md5, as zc.buildout names it
  const cached = policy.cacheDir ? join(policy.cacheDir, createHash('md5').update(url).digest('hex')) : undefined;
  // with newest = false a cached copy is used as it is; otherwise it is only the fallback
  if (policy.newest === false && cached && existsSync(cached)) return readFileSync(cached, 'utf8');
  if (policy.offline) {
    if (cached && existsSync(cached)) return readFileSync(cached, 'utf8');
    throw new BuildoutError('UserError', `Couldn't download '${url}' in offline mode.`, {
      hint: 'Run once without -o (offline) so the file lands in extends-cache, or extend a local copy.',
    });
  }
  let text: string;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
    text = await res.text();
  } catch (e) {
    if (cached && existsSync(cached)) return readFileSync(cached, 'utf8');
    throw new BuildoutError('FileNotFound', `Couldn't download ${url}: ${e instanceof Error ? e.message : String(e)}`, {
      hint: 'Check the URL and the network, or download the file and extend it by path.',
    });
  }
  if (cached && policy.cacheDir) {
    mkdirSync(policy.cacheDir, { recursive: true });
    writeFileAtomic(cached, text);
  }
  return text;
}
