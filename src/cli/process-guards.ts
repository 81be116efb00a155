/**
 * What happens to a run the outside world stops: a full disk or a closed pipe on stdout, Ctrl-C,
 * a CI runner's SIGTERM. Each ends in one line on stderr and a meaningful exit code, and the
 * run's cleanup (the demo simulator's temp folder, which can hold a private key) still happens.
 */

let guarded = false;

/** stdout errors (ENOSPC, EPIPE) arrive as events; unhandled, Node prints a stack trace. */
export function guardStdout(stream: NodeJS.WriteStream = process.stdout): void {
  if (guarded) return;
  guarded = true;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    reportStdoutError(e);
    process.exit(2);
  });
}

let reported = false;

function reportStdoutError(e: NodeJS.ErrnoException): void {
  if (reported) return;
  reported = true;
  const why = e.code === 'EPIPE' ? 'the reader closed it (EPIPE)' : (e.code ?? e.message);
  process.stderr.write(`wxmail: cannot write the report to stdout: ${why}\n`);
}

/**
 * stdout to a file or pipe is written synchronously: a failed write is known when the command
 * returns, before its 'error' event, and must decide the exit code (a report that was not
 * written is not a pass).
 */
export function stdoutFailed(stream: NodeJS.WriteStream = process.stdout): boolean {
  const err = (stream as unknown as { errored?: NodeJS.ErrnoException | null }).errored;
  if (!err) return false;
  reportStdoutError(err);
  return true;
}

const EXIT_ON: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Until the returned function is called, SIGINT/SIGTERM print one line, run `cleanup`, and exit
 * 128 + the signal's number.
 */
export function onInterrupt(cleanup: () => Promise<void> | void): () => void {
  const handler = (signal: NodeJS.Signals) => {
    process.stderr.write(`\nwxmail: interrupted (${signal}); the run did not finish and no report was written\n`);
    const done = () => process.exit(EXIT_ON[signal] ?? 2);
    // A cleanup that hangs must not keep a user's Ctrl-C from working.
    setTimeout(done, 3000).unref();
    Promise.resolve()
      .then(cleanup)
      .catch(() => undefined)
      .finally(done);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
