import { defineCheck, finding, fromFindings, type Finding, type Outcome } from '../../src/core/check.js';
import { FactError } from '../../src/core/fact-error.js';
import { appRegistrationFact } from '../../src/collect/graph/entra/app-registration.js';
import type { AppRegistration, KeyCredential, PasswordCredential } from '../../src/collect/graph/entra/types.js';
import { parseCertificatePem } from '../../src/collect/identity/certificate.js';
import { daysLeft, expiryState, matchCertificate, matchSecret, type ExpiryState } from './lib/credentials.js';
import { explain } from './lib/explanations.js';
import { requiresTokenWithoutReader } from './lib/requires.js';

/**
 * Which of the app's secrets (or certificates) Webex Connect holds, and when it expires. Entra
 * keeps a secret's first three characters (`hint`), so the configured value can be matched
 * without Entra ever revealing it; certificates match by SHA-1 thumbprint (customKeyIdentifier).
 */
export default defineCheck({
  id: 'entra.client-secret',
  title: 'The client secret is current',
  step: 2,
  description:
    'Finds the app\'s client secret that the configured secret is (by its hint, the first three characters Entra keeps) and checks its expiry against --secret-warn-days (default 30). ' +
    'Spots the secret\'s ID pasted instead of its value, several secrets with the same hint, and other expired secrets. With a certificate, the same for the registered certificate (by thumbprint).',
  scope: 'tenant',
  needs: { app: appRegistrationFact },
  requires: requiresTokenWithoutReader,
  precondition({ config }) {
    if (!config.clientId) return finding('INPUT_MISSING', 'No client ID configured (--client-id).');
    if (!config.clientSecret && !config.clientCertificate) {
      return finding('INPUT_MISSING', 'No client secret (--client-secret-file) or certificate (--client-certificate) configured.');
    }
    return null;
  },
  permissions: ['Application.Read.All (or the Webex app reading its own registration)'],
  explanations: explain(
    'SECRET_EXPIRED',
    'SECRET_EXPIRES_SOON',
    'SECRET_HINT_AMBIGUOUS',
    'SECRET_ID_NOT_VALUE',
    'SECRET_INVALID',
    'CERTIFICATE_EXPIRED',
    'CERTIFICATE_EXPIRES_SOON',
    'CERTIFICATE_NOT_REGISTERED',
    'APP_NOT_FOUND',
  ),
  run({ app }, { config, now }) {
    if (config.clientCertificate) {
      let thumbprint: string;
      try {
        thumbprint = parseCertificatePem(config.clientCertificate.pem, config.clientCertificate.path).thumbprintSha1;
      } catch (err) {
        const e = err instanceof FactError ? err : new FactError('INPUT_MISSING', String(err));
        return finding(e.code, e.message, { details: e.details });
      }
      return evaluateCertificate(app, thumbprint, now, config.secretWarnDays);
    }
    return evaluateSecret(app, config.clientSecret!, now, config.secretWarnDays);
  },
});

function row(c: PasswordCredential, state: ExpiryState, now: Date) {
  return { keyId: c.keyId, displayName: c.displayName, hint: c.hint, endDateTime: c.endDateTime, daysLeft: daysLeft(c.endDateTime, now), state };
}

function label(c: { displayName: string | null; keyId: string }): string {
  return `"${c.displayName ?? '(no description)'}" (ID ${c.keyId})`;
}

export function evaluateSecret(app: AppRegistration, secret: string, now: Date, warnDays: number): Outcome {
  const creds = app.passwordCredentials;
  const states = new Map(creds.map((c) => [c.keyId, expiryState(c.endDateTime, now, warnDays)]));
  const { matches, idOf } = matchSecret(secret, creds);
  const hint = secret.trim().slice(0, 3);
  const evidence: Record<string, unknown> = { configuredHint: hint, warnDays, secrets: creds.map((c) => row(c, states.get(c.keyId)!, now)) };
  const findings: Finding[] = [];
  const notes: string[] = [];

  if (idOf) {
    findings.push({ code: 'SECRET_ID_NOT_VALUE', message: `The configured secret is the Secret ID of ${label(idOf)}, not its value.` });
  } else if (matches.length === 0) {
    const looksLikeId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(secret.trim());
    findings.push(
      looksLikeId
        ? { code: 'SECRET_ID_NOT_VALUE', message: 'The configured secret is a GUID — a Secret ID (of a secret that no longer exists), not a secret value.' }
        : { code: 'SECRET_INVALID', message: `None of the app's ${creds.length} client secret(s) starts with "${hint}"; the configured secret is not one of them.` },
    );
  } else {
    evidence.matched = matches.map((c) => c.keyId);
    const ms = matches.map((c) => ({ c, s: states.get(c.keyId)! }));
    const live = ms.filter((m) => m.s !== 'expired');
    if (matches.length > 1) {
      findings.push({
        code: 'SECRET_HINT_AMBIGUOUS',
        message: `${matches.length} client secrets start with "${hint}": ${matches.map(label).join(', ')}; which one is in use cannot be told.`,
      });
    }
    if (live.length === 0) {
      const c = ms[0]!.c;
      findings.push({ code: 'SECRET_EXPIRED', message: `The client secret ${label(c)} expired on ${c.endDateTime ?? '?'}.` });
    } else if (live.every((m) => m.s === 'expires-soon')) {
      const c = live[0]!.c;
      findings.push({ code: 'SECRET_EXPIRES_SOON', message: `The client secret ${label(c)} expires in ${daysLeft(c.endDateTime, now)} day(s), on ${c.endDateTime}.` });
    }
  }
  const matchedIds = new Set(matches.map((c) => c.keyId));
  const otherExpired = creds.filter((c) => !matchedIds.has(c.keyId) && states.get(c.keyId) === 'expired');
  if (otherExpired.length) notes.push(`Other expired secrets (not in use; delete them): ${otherExpired.map((c) => `${label(c)}, expired ${c.endDateTime}`).join('; ')}.`);
  const single = matches.length === 1 ? matches[0]! : null;
  const passSummary = single
    ? `Webex Connect's secret is ${label(single)}, valid until ${single.endDateTime ?? 'no end date'} (${daysLeft(single.endDateTime, now) ?? '∞'} days).`
    : 'The configured secret is current.';
  return fromFindings(findings, passSummary, { ...(notes.length ? { details: notes.join('\n\n') } : {}), evidence });
}

export function evaluateCertificate(app: AppRegistration, thumbprintSha1: string, now: Date, warnDays: number): Outcome {
  const creds: KeyCredential[] = app.keyCredentials;
  const matches = matchCertificate(thumbprintSha1, creds);
  const evidence: Record<string, unknown> = {
    configuredThumbprint: thumbprintSha1,
    warnDays,
    certificates: creds.map((c) => ({ keyId: c.keyId, displayName: c.displayName, endDateTime: c.endDateTime, daysLeft: daysLeft(c.endDateTime, now), state: expiryState(c.endDateTime, now, warnDays) })),
  };
  if (matches.length === 0) {
    return finding('CERTIFICATE_NOT_REGISTERED', `No certificate of the app has thumbprint ${thumbprintSha1}; the configured certificate is not registered.`, { evidence });
  }
  const c = matches[0]!;
  const state = expiryState(c.endDateTime, now, warnDays);
  const others = creds.filter((k) => k.keyId !== c.keyId && expiryState(k.endDateTime, now, warnDays) === 'expired');
  const details = others.length ? `Other expired certificates (not in use): ${others.map((k) => `${label(k)}, expired ${k.endDateTime}`).join('; ')}.` : undefined;
  const extra = { ...(details ? { details } : {}), evidence: { ...evidence, matched: c.keyId } };
  if (state === 'expired') return finding('CERTIFICATE_EXPIRED', `The certificate ${label(c)} expired on ${c.endDateTime}.`, extra);
  if (state === 'expires-soon') {
    return finding('CERTIFICATE_EXPIRES_SOON', `The certificate ${label(c)} expires in ${daysLeft(c.endDateTime, now)} day(s), on ${c.endDateTime}.`, extra);
  }
  return fromFindings([], `The configured certificate is ${label(c)}, valid until ${c.endDateTime ?? 'no end date'}.`, extra);
}
