import type { RunConfig } from '../../config/types.js';

/**
 * How long a probe may spend on network waits. It must end before the runner's per-check
 * timeout, so that a hanging server is reported by the probe (which knows the stage it was in)
 * rather than as a bare TIMEOUT.
 */
export function probeBudgetMs(config: Pick<RunConfig, 'checkTimeoutMs'>): number {
  const t = config.checkTimeoutMs;
  return Math.max(500, Math.min(t - 1000, Math.floor(t * 0.85)));
}

/** A point in time after which nothing more is awaited. */
export class Deadline {
  readonly #end: number;
  constructor(ms: number) {
    this.#end = Date.now() + ms;
  }
  remaining(): number {
    return Math.max(0, this.#end - Date.now());
  }
}
