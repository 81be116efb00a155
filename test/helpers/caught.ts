import { FactError } from '../../src/core/fact-error.js';

/** The FactError a promise rejects with (anything else, or no rejection, fails the test). */
export async function caught(p: Promise<unknown>): Promise<FactError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof FactError) return e;
    throw e;
  }
  throw new Error('expected a FactError');
}
