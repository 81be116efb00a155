import type { DestinationStream } from 'pino';

/**
 * Where a command reads its environment and writes its output. The CLI uses the process's; tests
 * that sweep many scenarios run the same command in-process with their own, concurrently.
 */
export interface CliIO {
  env: NodeJS.ProcessEnv;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Where log lines go (default: fd 2, synchronously). */
  logDestination?: DestinationStream;
}

export function processIO(): CliIO {
  return { env: process.env, stdout: process.stdout, stderr: process.stderr };
}
