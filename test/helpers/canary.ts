import type { Scenario } from '../../src/simulator/scenario/schema.js';

/** Every secret value a scenario holds: app secrets (the doctor is given one of them, right or wrong). */
export function secretsOf(s: Scenario): string[] {
  const out = Object.values(s.apps).flatMap((a) => Object.values(a.passwordCredentials).map((p) => p.value));
  if (s.doctor.credential.startsWith('literal:')) out.push(s.doctor.credential.slice('literal:'.length));
  // The external sender's password or token (issue 11) is a secret like the client secret.
  for (const c of Object.values(s.externalSenders ?? {})) out.push(...[c.password, c.token].filter((v): v is string => !!v));
  return out.filter((v) => v.length >= 12);
}

/** A leak is any 8-character window of a secret, anything shaped like a JWT, an assertion or a private key. */
export function leaks(text: string, secrets: string[]): string[] {
  const found: string[] = [];
  for (const secret of secrets) {
    for (let i = 0; i + 8 <= secret.length; i++) {
      if (text.includes(secret.slice(i, i + 8))) {
        found.push(`${secret.slice(0, 3)}… (window at ${i})`);
        break;
      }
    }
  }
  const jwt = text.match(/eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*/);
  if (jwt) found.push(`JWT ${jwt[0].slice(0, 12)}…`);
  if (/client_assertion=|BEGIN (?:RSA |EC )?PRIVATE KEY/.test(text)) found.push('assertion or private key');
  return found;
}
