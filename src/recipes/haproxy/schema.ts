// The options of buildout-ts:haproxy: the knobs, with their defaults and shapes (checked
// before anything is installed; haproxy itself checks the whole file with `-c` afterwards).
import { z } from 'zod';
import { bool, int } from '../options.js';
import { checkWithHaproxy, locateHaproxy } from './check.js';
import { renderHaproxyConfig } from './config.js';

/** haproxy's time format: a number with an optional unit (default milliseconds). */
function time(dflt: string) {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      const t = v === undefined || v.trim() === '' ? dflt : v.trim();
      if (!/^\d+(us|ms|s|m|h|d)?$/.test(t)) {
        ctx.addIssue({ code: 'custom', message: `expected a time such as 500ms, 5s or 2m, got '${v}'` });
        return z.NEVER;
      }
      return t;
    });
}

/** Free text copied into one section of haproxy.cfg, one directive per line. */
const lines = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split('\n').map((l) => l.trim()).filter(Boolean));

const BALANCE = ['leastconn', 'roundrobin', 'static-rr', 'first', 'source', 'uri'] as const;
const RETRY_ON = ['none', 'conn-failure', 'empty-response', 'junk-response', 'response-timeout', '0rtt-rejected', '404', '408', '425', '500', '501', '502', '503', '504', 'all-retryable-errors'] as const;

/** The options alone (haproxySchema adds haproxy's check). */
export const haproxyOptionsSchema = z.object({
  // computed by hooks.ts
  location: z.string(),
  'bin-directory': z.string(),
  instances: z.string(),
  servers: z.string(),
  backend: z.string().regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits, _ . : - only'),
  config: z.string(),
  'admin-socket': z.string(),
  'pid-file': z.string(),
  'log-file': z.string(),
  'control-script': z.string(),
  bind: z.string(),
  // the knobs
  'stats-bind': z.string().optional(),
  'stats-uri': z.string().regex(/^\/\S*$/, 'a path beginning with /').default('/'),
  'stats-refresh': time('5s'),
  balance: z.enum(BALANCE).default('leastconn'),
  maxconn: int(4096, { min: 1 }),
  'server-maxconn': int(undefined, { min: 1 }),
  'timeout-connect': time('5s'),
  'timeout-client': time('60s'),
  'timeout-server': time('300s'),
  'timeout-queue': time('60s'),
  'timeout-check': time('5s'),
  'timeout-http-request': time('10s'),
  'timeout-http-keep-alive': time('10s'),
  'check-path': z.string().regex(/^\/\S*$/, 'a path beginning with /').default('/__health__'),
  'check-interval': time('1s'),
  'check-fall': int(3, { min: 1 }),
  'check-rise': int(2, { min: 1 }),
  'error-limit': int(1, { min: 0 }),
  retries: int(3, { min: 0 }),
  'retry-on': z
    .string()
    .optional()
    .transform((v, ctx) => {
      const words = (v ?? 'conn-failure empty-response').split(/\s+/).filter(Boolean);
      const bad = words.filter((w) => !(RETRY_ON as readonly string[]).includes(w));
      if (bad.length) {
        ctx.addIssue({ code: 'custom', message: `unknown retry-on keyword(s) ${bad.join(', ')} (known: ${RETRY_ON.join(' ')})` });
        return z.NEVER;
      }
      return words;
    }),
  redispatch: bool(true),
  'hard-stop-after': time('30s'),
  log: z.string().default('stdout'),
  haproxy: z.string().optional(),
  'global-additional': lines,
  'defaults-additional': lines,
  'frontend-additional': lines,
  'backend-additional': lines,
});

export type HaproxyOptions = z.output<typeof haproxyOptionsSchema>;

/** The options, then haproxy's own verdict on the configuration they make (check.ts). */
export const haproxySchema = haproxyOptionsSchema.transform((o, ctx) => {
  const haproxy = locateHaproxy(o.haproxy);
  if (!haproxy) {
    ctx.addIssue({
      code: 'custom',
      path: ['haproxy'],
      message: o.haproxy ? `${o.haproxy} is not an executable file` : 'haproxy is not installed (Debian, Ubuntu: apt-get install haproxy), or set haproxy = /path/to/haproxy',
    });
    return z.NEVER;
  }
  const problem = checkWithHaproxy(haproxy, renderHaproxyConfig({ part: '', directory: '', options: o }));
  if (problem) {
    ctx.addIssue({ code: 'custom', path: problem.option ? [problem.option] : [], message: problem.message });
    return z.NEVER;
  }
  return { ...o, haproxy };
});
