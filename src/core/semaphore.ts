/**
 * A counting semaphore, FIFO. The runner's check slots (`--concurrency`) and the Exchange admin
 * API's per-tenant limit ("You have reached the maximum number of concurrent requests per tenant",
 * reference D2: at most three in flight, a `$batch` counting as one) both use it.
 */
export class Semaphore {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(size: number) {
    this.#free = size;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  async acquire(): Promise<void> {
    if (this.#free > 0) {
      this.#free--;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free++;
  }
}
