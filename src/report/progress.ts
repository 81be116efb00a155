import type { Status } from '../core/codes.js';

/**
 * A single live line while checks run ("[ 7/18] entra.token  2 fail 1 warn"), redrawn in place.
 * Only on a terminal: in CI logs and pipes a redrawn line is noise, so it is a no-op there.
 */

export interface Progress {
  tick(id: string, status: Status): void;
  done(): void;
}

const CLEAR_LINE = '\r\x1b[2K';

const NO_PROGRESS: Progress = { tick: () => {}, done: () => {} };

export function createProgress(stream: NodeJS.WriteStream, total: number): Progress {
  if (!stream.isTTY) return NO_PROGRESS;
  let finished = 0;
  let visible = false;
  const counts: Partial<Record<Status, number>> = {};
  const width = String(total).length;

  const line = (id: string): string => {
    const tally = (['fail', 'error', 'warn', 'skip'] as const)
      .filter((s) => counts[s])
      .map((s) => `${counts[s]} ${s}`)
      .join(' ');
    const text = `[${String(finished).padStart(width)}/${total}] ${id}${tally ? `  ${tally}` : ''}`;
    // A line longer than the terminal wraps, and \r then only redraws its last row.
    const columns = stream.columns > 0 ? stream.columns - 1 : 79;
    return text.length > columns ? `${text.slice(0, Math.max(0, columns - 1))}…` : text;
  };

  return {
    tick(id, status) {
      finished++;
      counts[status] = (counts[status] ?? 0) + 1;
      stream.write(CLEAR_LINE + line(id));
      visible = true;
    },
    done() {
      if (visible) stream.write(CLEAR_LINE);
      visible = false;
    },
  };
}
