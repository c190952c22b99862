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

export interface StartOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** extra pipes after stdin/stdout/stderr (fd 3, 4, …) for a protocol with the child */
  extraPipes?: number;
  /** the child's stdout goes to our stderr (our stdout stays machine-readable) */
  stdoutToStderr?: boolean;
}

export interface StartedProcess {
  pid: number | undefined;
  /** the extra pipes, fd 3 first (we write to some, read from others: the protocol decides) */
  pipes: (NodeJS.ReadableStream & NodeJS.WritableStream)[];
  /** resolves with the exit code (or the signal's name) once the child has exited */
  exited: Promise<{ code: number | null; signal: string | null }>;
  kill(signal?: NodeJS.Signals): void;
}

/** Starts a long-lived child (a protocol over extra pipes); stdin and stderr are ours. */
export async function startProcess(file: string, args: readonly string[], opts: StartOptions = {}): Promise<StartedProcess> {
  if (typeof file !== 'string' || file === '') throw new TypeError(`startProcess(): file must be a non-empty string, got ${JSON.stringify(file)}`);
  const { spawn } = await import('node:child_process');
  const extra = Array.from({ length: opts.extraPipes ?? 0 }, () => 'pipe' as const);
  const child = spawn(file, [...args], {
    cwd: opts.cwd,
    env: { ...sanitizeEnv(process.env), ...opts.env },
    stdio: ['inherit', opts.stdoutToStderr ? process.stderr : 'inherit', 'inherit', ...extra],
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: null, signal: 'spawn-error' }));
  });
  return {
    pid: child.pid,
    pipes: child.stdio.slice(3) as unknown as StartedProcess['pipes'],
    exited,
    kill: (signal = 'SIGTERM') => void child.kill(signal),
  };
}
