import { editDistance } from '../core/edit-distance.js';

/**
 * yargs' own failure messages, made into the one line a user can act on: the option's name and
 * its choices instead of "Invalid values:", and a "did you mean" for the usual slips (issue 13).
 */

/** Names users reach for that are not ours: the option they mean. */
const SYNONYMS: Record<string, string> = {
  tenant: 'tenant-id',
  'tenant-name': 'tenant-id',
  'directory-id': 'tenant-id',
  'app-id': 'client-id',
  appid: 'client-id',
  'application-id': 'client-id',
  'client-id-file': 'client-id',
  secret: 'client-secret-file',
  'secret-file': 'client-secret-file',
  'client-secret-value': 'client-secret-file',
  certificate: 'client-certificate',
  cert: 'client-certificate',
  callback: 'callback-url',
  'redirect-uri': 'callback-url',
  email: 'mailbox',
  user: 'mailbox',
  forwarding: 'forwarding-address',
  forward: 'forwarding-address',
  out: 'output',
  'output-file': 'output',
  'dns': 'dns-server',
  evidence: 'exchange-evidence',
  verbose: 'log-level',
};


/** The closest known name, when it is close enough to be the one meant. */
export function closest(word: string, known: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  if (SYNONYMS[w] && known.includes(SYNONYMS[w])) return SYNONYMS[w];
  const prefixed = known.filter((k) => k.startsWith(`${w}-`) || k.startsWith(w));
  if (prefixed.length === 1) return prefixed[0];
  let best: { name: string; d: number } | undefined;
  for (const k of known) {
    const d = editDistance(w, k);
    if (!best || d < best.d) best = { name: k, d };
  }
  return best && best.d <= Math.max(1, Math.floor(best.name.length / 3)) ? best.name : undefined;
}

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * One line for a yargs failure. `options`: the long option names of the command that failed;
 * `commands`: the command names (an unknown first word may be a mistyped command).
 */
export function usageLine(msg: string, options: readonly string[], commands: readonly string[], argv: readonly string[]): string {
  const choice = /Argument: ([\w-]+), Given: ("(?:[^"\\]|\\.)*"|\S+), Choices: (.*)/.exec(msg);
  if (choice) {
    const [, arg, given, choices] = choice;
    const list = choices!.split(/,\s*/).map((c) => c.replace(/^"|"$/g, '')).join(', ');
    return `${arg} (--${kebab(arg!)}): ${given} is not one of ${list}`;
  }
  const unknown = /^Unknown arguments?: (.*)$/m.exec(msg);
  if (unknown) {
    // yargs lists both spellings (app-id, appId): keep the one the user typed.
    const names = unknown[1]!.split(/,\s*/).filter((n, _i, all) => !(/[A-Z]/.test(n) && all.includes(kebab(n))));
    const parts = names.map((n) => {
      const typedAsOption = argv.some((a) => a === `--${n}` || a.startsWith(`--${n}=`) || a === `-${n}`);
      if (!typedAsOption && argv[0] === n) {
        const cmd = closest(n, commands);
        return `unknown command ${n}${cmd ? ` (did you mean ${cmd}?)` : ` (commands: ${commands.join(', ')})`}`;
      }
      const opt = closest(n, options);
      const shown = n.length === 1 ? `-${n}` : `--${n}`;
      return `unknown option ${shown}${opt ? ` (did you mean --${opt}?)` : ''}`;
    });
    return `${parts.join('; ')} (see --help)`;
  }
  return msg.replace(/\s*\n\s*/g, ' ').trim();
}
