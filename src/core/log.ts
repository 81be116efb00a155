import pino, { type Logger } from 'pino';
import { redactor } from './redact.js';

export const LOG_LEVELS = ['silent', 'fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Logs go to stderr (stdout carries only the report), synchronously so the last lines survive
 * process exit, and every line passes through the redactor on its way out.
 */
export function createLogger(level: LogLevel): Logger {
  return pino(
    {
      level,
      base: undefined,
      hooks: { streamWrite: (line: string) => redactor.text(line) },
    },
    pino.destination({ fd: 2, sync: true }),
  );
}

/** For tests and library use: a logger that writes nothing. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
