// The only module that imports execa. execa is loaded lazily because importing
// it costs ~0.15 s, and the resolve path (annotate, query, a no-op install)
// must not pay for it. Commands are argv arrays: never a shell string.

export interface RunOptions {
  cwd?: string;
  /** extra variables, merged over the sanitized process environment */
  env?: Record<string, string | undefined>;
  /** replaces the environment instead of extending it */
  extendEnv?: boolean;
  input?: string;
  timeoutMs?: number;
  /** inherit stdio (a person sees the child's output) instead of capturing it */
  inherit?: boolean;
  /** kill with SIGKILL this long after SIGTERM on timeout/cancel */
  forceKillAfterMs?: number;
  cancelSignal?: AbortSignal;
  /** called with each line of output while the process runs */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** called with the child's pid once it started (e.g. to record it for a later run) */
  onSpawn?: (pid: number) => void;
}

export interface RunResult {
  command: string;
  exitCode: number | undefined;
  signal: string | undefined;
  stdout: string;
  stderr: string;
  failed: boolean;
  timedOut: boolean;
}

// Variables that must not leak into children we start (secrets of CI systems, npm's own config).
const SECRET_ENV = /^(npm_config_|NPM_TOKEN$|GITHUB_TOKEN$|GH_TOKEN$|.*_SECRET$|.*_PASSWORD$)/i;

export function sanitizeEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && !SECRET_ENV.test(k)) out[k] = v;
  return out;
}

/** Runs a program to completion; a non-zero exit is a result, not an exception. */
export async function run(file: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  if (typeof file !== 'string' || file === '') throw new TypeError(`run(): file must be a non-empty string, got ${JSON.stringify(file)}`);
  const { execa } = await import('execa');
  const base = opts.extendEnv === false ? {} : sanitizeEnv(process.env);
  const child = execa(file, [...args], {
    cwd: opts.cwd,
    env: { ...base, ...opts.env },
    extendEnv: false,
    input: opts.input,
    timeout: opts.timeoutMs,
    forceKillAfterDelay: opts.forceKillAfterMs ?? 5000,
    cancelSignal: opts.cancelSignal,
    // execa rejects `stdio` together with `stdin`, so spell out the three streams
    ...(opts.inherit ? { stdio: 'inherit' as const } : { stdin: opts.input === undefined ? ('ignore' as const) : ('pipe' as const), stdout: 'pipe' as const, stderr: 'pipe' as const }),
    reject: false,
    cleanup: true,
    stripFinalNewline: true,
    lines: false,
  });
  if (child.pid !== undefined) opts.onSpawn?.(child.pid);
  if (opts.onLine && !opts.inherit) {
    const feed = (stream: 'stdout' | 'stderr') => {
      let buf = '';
      child[stream]?.on('data', (chunk: Buffer) => {
        buf += chunk.toString('utf8');
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          opts.onLine!(buf.slice(0, i), stream);
          buf = buf.slice(i + 1);
        }
      });
    };
    feed('stdout');
    feed('stderr');
  }
  const r = await child;
  return {
    command: r.command,
    exitCode: r.exitCode,
    signal: r.signal,
    stdout: typeof r.stdout === 'string' ? r.stdout : '',
    stderr: typeof r.stderr === 'string' ? r.stderr : '',
    failed: r.failed,
    timedOut: r.timedOut,
  };
}
