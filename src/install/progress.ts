// What a person sees while installing: one line per part with what happened and
// how long it took; on a terminal, a spinner line while a long step runs. Lines go
// through the logger (stderr; -q hides them), so stdout stays clean for --json.
import { createLogger, type Logger } from '../log.js';

export type PartAction = 'installed' | 'updated' | 'unchanged' | 'uninstalled';

export interface PartReport {
  name: string;
  action: PartAction;
  seconds: number;
}

export interface Progress {
  /** logger for the lifecycle and recipes: on a terminal it keeps the spinner line intact */
  readonly log: Logger;
  /** shows `label` with a spinner and the elapsed time (terminal only) until the returned function is called */
  task(label: string): () => void;
  /** a detail of the running task (e.g. the installer's last output line), shown on the spinner line */
  detail(text: string): void;
  /** the line for one part */
  part(name: string, action: PartAction, seconds: number, note?: string): void;
  close(): void;
}

export interface ProgressOptions {
  /** spinner allowed: stderr is a terminal and not CI */
  tty: boolean;
  write?: (text: string) => void;
}

export function createProgress(base: Logger, opts: ProgressOptions): Progress {
  const write = opts.write ?? ((t: string) => process.stderr.write(t));
  const spinner = opts.tty && base.level <= 20 ? new Spinner(write) : undefined;
  const log = spinner ? createLogger({ level: base.level, write: (line) => spinner.around(() => write(line + '\n')) }) : base;
  return {
    log,
    task(label) {
      if (!spinner) {
        log.debug(`${label}.`);
        return () => {};
      }
      return spinner.start(label);
    },
    detail(text) {
      spinner?.detail(text); // without a terminal the producer logs its own lines (-v)
    },
    part(name, action, seconds, note) {
      const time = action === 'unchanged' ? '' : ` in ${formatSeconds(seconds)}`;
      log.info(`${name}: ${action}${time}${note ? ` (${note})` : ''}`);
    },
    close() {
      spinner?.stop();
    },
  };
}

export function formatSeconds(s: number): string {
  return s < 10 ? `${s.toFixed(2)}s` : `${s.toFixed(1)}s`;
}

/** True when a spinner may be drawn: stderr is a terminal and we are not in CI. */
export function isInteractiveTerminal(env: Record<string, string | undefined> = process.env): boolean {
  return Boolean(process.stderr.isTTY) && !env.CI && env.TERM !== 'dumb';
}

// --- internal ---

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

class Spinner {
  private label: string | undefined;
  private started = 0;
  private frame = 0;
  private timer: NodeJS.Timeout | undefined;
  private extra = '';

  constructor(private readonly write: (t: string) => void) {}

  start(label: string): () => void {
    this.stop();
    this.label = label;
    this.extra = '';
    this.started = Date.now();
    this.draw();
    // unref: a spinner never keeps the process alive
    this.timer = setInterval(() => this.draw(), 100).unref();
    return () => this.stop();
  }

  /** Runs `fn` (which writes a whole line) with the spinner line cleared, then redraws it. */
  around(fn: () => void): void {
    if (this.label !== undefined) this.write('\r\x1b[K');
    fn();
    if (this.label !== undefined) this.draw();
  }

  detail(text: string): void {
    this.extra = text.trim();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.label !== undefined) this.write('\r\x1b[K');
    this.label = undefined;
  }

  private draw(): void {
    const secs = ((Date.now() - this.started) / 1000).toFixed(1);
    this.frame = (this.frame + 1) % FRAMES.length;
    // one terminal line: the detail is cut to the width left
    const head = `${FRAMES[this.frame]} ${this.label} ${secs}s`;
    const room = (process.stderr.columns || 80) - head.length - 3;
    const extra = this.extra && room > 10 ? `  ${this.extra.length > room ? this.extra.slice(0, room - 1) + '…' : this.extra}` : '';
    this.write(`\r\x1b[K${head}${extra}`);
  }
}
