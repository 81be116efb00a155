import pino, { type DestinationStream, type Logger } from 'pino';
import { redactor } from './redact.js';

import type { LogLevel } from './log-levels.js';

export { LOG_LEVELS, type LogLevel } from './log-levels.js';

/**
 * Logs go to stderr (stdout carries only the report), synchronously so the last lines survive
 * process exit, and every line passes through the redactor on its way out.
 */
export function createLogger(level: LogLevel, destination: DestinationStream = pino.destination({ fd: 2, sync: true })): Logger {
  return pino(
    {
      level,
      base: undefined,
      hooks: { streamWrite: (line: string) => redactor.text(line) },
    },
    destination,
  );
}

/** For tests and library use: a logger that writes nothing. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
