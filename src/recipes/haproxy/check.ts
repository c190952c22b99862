// haproxy's own check of the generated configuration (`haproxy -c`), run while the options are
// parsed — before the lifecycle removes the old part, so that a configuration haproxy refuses
// never replaces the one a running balancer uses. Synchronous because option parsing is; argv
// only, the sanitized environment of src/process/run.ts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOnPath, isExecutableFile } from '../../config/which.js';
import { sanitizeEnv } from '../../process/run.js';
import type { HaproxyConfig } from './config.js';

export interface ConfigProblem {
  /** the option behind the refused line, when known */
  option: string | undefined;
  message: string;
}

/** Where haproxy is: the `haproxy` option, PATH, then Debian's /usr/sbin (not on a user's PATH). */
export function locateHaproxy(given: string | undefined): string | undefined {
  if (given) return isExecutableFile(given) ? given : undefined;
  return findOnPath('haproxy', `${process.env.PATH ?? ''}:/usr/sbin:/usr/local/sbin`);
}

/** undefined when haproxy accepts the configuration; else its complaint and the option behind it. */
export function checkWithHaproxy(haproxy: string, config: HaproxyConfig): ConfigProblem | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'buildout-ts-haproxy-'));
  const file = join(dir, 'haproxy.cfg');
  try {
    writeFileSync(file, config.text, { mode: 0o600 });
    const r = spawnSync(haproxy, ['-c', '-f', file], { encoding: 'utf8', timeout: 30_000, env: sanitizeEnv(process.env) });
    if (r.status === 0) return undefined;
    const output = `${r.stdout ?? ''}\n${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}`.split(file).join('haproxy.cfg').trim();
    const line = /parsing \[[^\]]*:(\d+)\]/.exec(output)?.[1];
    const alerts = output
      .split('\n')
      .filter((l) => /ALERT/.test(l) && !/Fatal errors found|Error\(s\) found/.test(l))
      .map((l) => l.replace(/^\[ALERT\]\s*\(\d+\)\s*:\s*/, ''))
      .slice(0, 5);
    return { option: line ? config.sources[Number(line) - 1] : undefined, message: `haproxy -c refuses the generated configuration: ${(alerts.length ? alerts : [output]).join('; ')}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
