import type { Duplex } from 'node:stream';

/** Why no reply came: the stage that was waiting names it in the probe's result. */
export class ReplyError extends Error {
  override name = 'ReplyError';
  constructor(
    readonly kind: 'timeout' | 'closed' | 'aborted' | 'socket',
    message: string,
    readonly errorCode: string | null = null,
  ) {
    super(message);
  }
}

const MAX_BUFFER = 64 * 1024;

/**
 * Reads SMTP replies (RFC 5321 §4.2: `250-…` continues, `250 …` ends) from a socket that can be
 * swapped for its TLS wrapper after STARTTLS. A small reader of our own, because the connect
 * probe must know exactly which reply it was waiting for when a server stops talking.
 */
export class ReplyReader {
  #socket: Duplex | null = null;
  #buf = '';
  #partial: string[] = [];
  readonly #replies: string[][] = [];
  #failure: ReplyError | null = null;
  #wake: (() => void) | null = null;

  readonly #onData = (chunk: Buffer | string): void => {
    this.#buf += typeof chunk === 'string' ? chunk : chunk.toString('latin1');
    let nl: number;
    while ((nl = this.#buf.indexOf('\n')) >= 0) {
      const line = this.#buf.slice(0, nl).replace(/\r$/, '');
      this.#buf = this.#buf.slice(nl + 1);
      this.#partial.push(line);
      // `250-` continues the reply; anything else (including a line that is not SMTP) ends it.
      if (!/^\d{3}-/.test(line)) {
        this.#replies.push(this.#partial);
        this.#partial = [];
      }
    }
    if (this.#buf.length > MAX_BUFFER) this.#fail(new ReplyError('socket', 'the server sent an over-long line'));
    this.#wake?.();
  };
  readonly #onClose = (): void => this.#fail(new ReplyError('closed', 'the server closed the connection'));
  readonly #onError = (err: NodeJS.ErrnoException): void =>
    this.#fail(new ReplyError('socket', err.message, err.code ?? null));

  attach(socket: Duplex): void {
    this.detach();
    this.#socket = socket;
    this.#failure = null;
    socket.on('data', this.#onData);
    socket.on('end', this.#onClose);
    socket.on('close', this.#onClose);
    socket.on('error', this.#onError);
    socket.resume();
  }

  /** Stops reading (before STARTTLS hands the socket to TLS); buffered bytes are dropped. */
  detach(): void {
    const s = this.#socket;
    if (!s) return;
    s.removeListener('data', this.#onData);
    s.removeListener('end', this.#onClose);
    s.removeListener('close', this.#onClose);
    s.removeListener('error', this.#onError);
    this.#socket = null;
    this.#buf = '';
    this.#partial = [];
  }

  /** The next complete reply, as its lines. */
  async read(timeoutMs: number, signal?: AbortSignal): Promise<string[]> {
    for (;;) {
      const next = this.#replies.shift();
      if (next) return next;
      if (this.#failure) throw this.#failure;
      if (signal?.aborted) throw new ReplyError('aborted', 'the run deadline passed');
      if (timeoutMs <= 0) throw new ReplyError('timeout', 'no reply in time');
      await this.#waitForData(timeoutMs, signal);
      // A wait that ended by timeout with nothing new: report it.
      if (this.#replies.length === 0 && !this.#failure && !signal?.aborted) throw new ReplyError('timeout', 'no reply in time');
    }
  }

  #waitForData(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', finish);
        this.#wake = null;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      signal?.addEventListener('abort', finish, { once: true });
      this.#wake = (): void => {
        if (this.#replies.length > 0 || this.#failure) finish();
      };
    });
  }

  #fail(e: ReplyError): void {
    if (!this.#failure) this.#failure = e;
    this.#wake?.();
  }
}
