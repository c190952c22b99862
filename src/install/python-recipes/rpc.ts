import { createDebug } from '../../log.js';
// JSON lines with the Python host, both ways (python/buildout_ts_recipes/rpc.py): a message
// with a `method` is a request, any other answers a request of the receiving side. The host
// asks back while it is being asked (a recipe constructor reads a section), so requests
// from it are served whenever they arrive.

const debug = createDebug('host');

export interface RemoteFailure {
  /** user | exception | not-found | import | no-entry-point | internal | … */
  kind: string;
  type?: string;
  message: string;
  traceback?: string;
}

/** A request the host answered with an error. */
export class HostCallError extends Error {
  override readonly name = 'HostCallError';
  constructor(
    readonly method: string,
    readonly failure: RemoteFailure,
  ) {
    super(failure.message);
  }
}

export type Handler = (params: Record<string, unknown>) => Promise<unknown>;

interface Message {
  id: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: unknown;
  error?: RemoteFailure;
}

export class Channel {
  private nextId = 0;
  private buffer = '';
  private readonly pending = new Map<number, { method: string; resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  private closed: Error | undefined;

  constructor(
    private readonly out: NodeJS.WritableStream,
    input: NodeJS.ReadableStream,
    private readonly handlers: Readonly<Record<string, Handler>>,
  ) {
    input.on('data', (chunk: Buffer) => this.receive(chunk.toString('utf8')));
    input.on('end', () => this.close(new Error('the Python host closed its channel')));
    input.on('error', (e: Error) => this.close(e));
  }

  call<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    if (this.closed) return Promise.reject(this.closed);
    const id = ++this.nextId;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject });
      this.send({ id, method, params });
    });
  }

  /** Every waiting call fails with `error` (the host exited). */
  close(error: Error): void {
    this.closed ??= error;
    for (const p of this.pending.values()) p.reject(this.closed);
    this.pending.clear();
  }

  // --- internal ---

  private send(message: Message): void {
    this.out.write(JSON.stringify(message) + '\n');
  }

  private receive(text: string): void {
    this.buffer += text;
    let i: number;
    while ((i = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, i);
      this.buffer = this.buffer.slice(i + 1);
      if (line.trim()) this.dispatch(JSON.parse(line) as Message);
    }
  }

  private dispatch(m: Message): void {
    if (m.method !== undefined) {
      debug?.(`host asks ${m.method} ${JSON.stringify(m.params)}`);
      const handler = this.handlers[m.method];
      const work = handler ? handler(m.params ?? {}) : Promise.reject(new Error(`no such method: ${m.method}`));
      work.then(
        (result) => this.send({ id: m.id, result: result ?? null }),
        (e: unknown) => this.send({ id: m.id, error: toFailure(e) }),
      );
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.error) p.reject(new HostCallError(p.method, m.error));
    else p.resolve(m.result);
  }
}

// Our errors travel to the host and come back unchanged when a recipe lets them through.
function toFailure(e: unknown): RemoteFailure & { buildoutError?: unknown } {
  const err = e instanceof Error ? e : new Error(String(e));
  const b = err as Error & { code?: string; hint?: string; section?: string; option?: string; loc?: unknown; doing?: string[] };
  return {
    kind: err.name === 'BuildoutError' ? 'buildout-ts' : 'exception',
    type: err.name,
    message: err.message,
    ...(err.name === 'BuildoutError' ? { buildoutError: { code: b.code, hint: b.hint, section: b.section, option: b.option, loc: b.loc, doing: b.doing } } : {}),
  };
}
