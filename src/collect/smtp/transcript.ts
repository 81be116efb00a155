import { redactor } from '../../core/redact.js';

const MAX_LINES = 120;
const MAX_LINE = 400;

/**
 * A protocol dialogue kept for the report's evidence (`C:` client, `S:` server, `*` notes).
 * Every line passes through the redactor as it is recorded, so a token or an XOAUTH2 blob never
 * reaches the evidence even if a library logged it in clear.
 */
export class Transcript {
  readonly #lines: string[] = [];
  #dropped = 0;

  client(line: string): void {
    this.#push('C: ', line);
  }

  server(line: string): void {
    this.#push('S: ', line);
  }

  note(line: string): void {
    this.#push('* ', line);
  }

  lines(): string[] {
    return this.#dropped > 0 ? [...this.#lines, `* … ${this.#dropped} more line(s) not kept`] : [...this.#lines];
  }

  #push(prefix: string, line: string): void {
    for (const l of line.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n')) {
      if (this.#lines.length >= MAX_LINES) {
        this.#dropped++;
        continue;
      }
      const clean = redactor.text(l);
      this.#lines.push(prefix + (clean.length > MAX_LINE ? `${clean.slice(0, MAX_LINE)}…` : clean));
    }
  }
}
