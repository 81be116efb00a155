import { defineCheck, finding, fromFindings, optional, type FactOutcome, type Finding, type Outcome } from '../../src/core/check.js';
import { FactError } from '../../src/core/fact-error.js';
import { appRegistrationFact } from '../../src/collect/graph/entra/app-registration.js';
import type { AppRegistration, KeyCredential, PasswordCredential } from '../../src/collect/graph/entra/types.js';
import { webexServicePrincipalFact } from '../../src/collect/graph/entra/service-principals.js';
import { parseCertificatePem, type CertificateCredential } from '../../src/collect/identity/certificate.js';
import { webexTokensFact, type WebexTokens } from '../../src/collect/identity/webex-token-fact.js';
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
  needs: { app: appRegistrationFact, sp: optional(webexServicePrincipalFact), tokens: optional(webexTokensFact) },
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
    'SECRET_ON_SERVICE_PRINCIPAL',
    'APP_NOT_FOUND',
  ),
  run({ app, sp, tokens }, { config, now }) {
    if (config.clientCertificate) {
      let cert: CertificateCredential;
      try {
        cert = parseCertificatePem(config.clientCertificate.pem, config.clientCertificate.path);
      } catch (err) {
        const e = err instanceof FactError ? err : new FactError('INPUT_MISSING', String(err));
        return finding(e.code, e.message, { details: e.details });
      }
      return evaluateCertificate(app, cert.thumbprintSha1, now, config.secretWarnDays, { thumbprintSha256: cert.thumbprintSha256, notAfter: cert.notAfter, tokenAccepted: tokenAccepted(tokens) });
    }
    const spSecrets = sp.ok ? (sp.value?.passwordCredentials ?? []) : [];
    return evaluateSecret(app, config.clientSecret!, now, config.secretWarnDays, spSecrets);
  },
});

function row(c: PasswordCredential, state: ExpiryState, now: Date) {
  return { keyId: c.keyId, displayName: c.displayName, hint: c.hint, endDateTime: c.endDateTime, daysLeft: daysLeft(c.endDateTime, now), state };
}

function label(c: { displayName: string | null; keyId: string }): string {
  return `"${c.displayName ?? '(no description)'}" (ID ${c.keyId})`;
}

/** Whether Entra issued a token for the configured certificate in this run (null: not known). */
function tokenAccepted(tokens: FactOutcome<WebexTokens>): boolean | null {
  if (!tokens.ok || tokens.value.credential !== 'certificate') return null;
  return tokens.value.graph.ok || tokens.value.exchange.ok;
}

export function evaluateSecret(app: AppRegistration, secret: string, now: Date, warnDays: number, spSecrets: PasswordCredential[] = []): Outcome {
  const appMatch = matchSecret(secret, app.passwordCredentials);
  // A secret found only on the service principal (G9): matched there, and said so.
  const spMatch = appMatch.matches.length === 0 && !appMatch.idOf && spSecrets.length ? matchSecret(secret, spSecrets) : null;
  const onSp = !!spMatch && spMatch.matches.length > 0;
  const creds = onSp ? spSecrets : app.passwordCredentials;
  const states = new Map([...app.passwordCredentials, ...spSecrets].map((c) => [c.keyId, expiryState(c.endDateTime, now, warnDays)]));
  const { matches, idOf } = onSp ? spMatch! : appMatch;
  const hint = secret.trim().slice(0, 3);
  const evidence: Record<string, unknown> = {
    configuredHint: hint,
    warnDays,
    secrets: app.passwordCredentials.map((c) => row(c, states.get(c.keyId)!, now)),
    ...(spSecrets.length ? { servicePrincipalSecrets: spSecrets.map((c) => row(c, states.get(c.keyId)!, now)) } : {}),
  };
  const findings: Finding[] = [];
  const notes: string[] = [];
  const values: Record<string, string> = {};
  if (onSp) {
    const c = matches[0]!;
    values['key-id'] = c.keyId;
    evidence.matchedOn = 'service-principal';
    findings.push({
      code: 'SECRET_ON_SERVICE_PRINCIPAL',
      message: `The configured secret is ${label(c)} (hint "${c.hint ?? '?'}", expires ${c.endDateTime ?? 'never'}) on the enterprise application (service principal), not the app registration.`,
    });
    notes.push(
      'Whether Entra\'s client credentials flow accepts a secret stored on the service principal for this use is NOT VERIFIED in Microsoft\'s documentation; `entra.token` shows whether this run\'s token request with it succeeded. ' +
        'The portal\'s Certificates & secrets page does not show this secret, so its expiry is easy to miss.',
    );
  }

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
  return fromFindings(findings, passSummary, { ...(notes.length ? { details: notes.join('\n\n') } : {}), evidence, values });
}

export interface CertificateContext {
  thumbprintSha256?: string;
  /** notAfter of the configured certificate itself (from its PEM). */
  notAfter?: string;
  /** The token request with this certificate succeeded (true), failed (false), or is unknown (null). */
  tokenAccepted?: boolean | null;
}

export function evaluateCertificate(app: AppRegistration, thumbprintSha1: string, now: Date, warnDays: number, more: CertificateContext = {}): Outcome {
  const creds: KeyCredential[] = app.keyCredentials;
  const { matches, by } = matchCertificate(thumbprintSha1, creds, more.thumbprintSha256);
  const evidence: Record<string, unknown> = {
    configuredThumbprint: thumbprintSha1,
    ...(more.thumbprintSha256 ? { configuredThumbprintSha256: more.thumbprintSha256.toUpperCase() } : {}),
    warnDays,
    certificates: creds.map((c) => ({
      keyId: c.keyId,
      displayName: c.displayName,
      customKeyIdentifier: c.customKeyIdentifier,
      keyThumbprintSha1: c.keyThumbprintSha1 ?? null,
      endDateTime: c.endDateTime,
      daysLeft: daysLeft(c.endDateTime, now),
      state: expiryState(c.endDateTime, now, warnDays),
    })),
    matchedBy: by,
    tokenAccepted: more.tokenAccepted ?? null,
  };
  if (matches.length === 0) {
    if (more.tokenAccepted) {
      // G5: Entra issued a token for this certificate, so it is registered, whatever the metadata says.
      const notAfter = more.notAfter ?? null;
      const state = expiryState(notAfter, now, warnDays);
      const why =
        'Entra issued a token with this certificate in this run, so it is registered; no keyCredential could be matched to it (no `key` returned, and customKeyIdentifier is not its thumbprint — scripts often set their own value). Expiry is read from the certificate file itself.';
      if (state === 'expires-soon') return finding('CERTIFICATE_EXPIRES_SOON', `The configured certificate (thumbprint ${thumbprintSha1}) expires in ${daysLeft(notAfter, now)} day(s), on ${notAfter}.`, { details: why, evidence });
      return fromFindings([], `The configured certificate (thumbprint ${thumbprintSha1}) is registered: Entra accepted it for a token; valid until ${notAfter ?? 'unknown'}.`, { details: why, evidence });
    }
    return finding('CERTIFICATE_NOT_REGISTERED', `No certificate of the app has thumbprint ${thumbprintSha1} (by its key, nor by customKeyIdentifier); the configured certificate is not registered.`, { evidence });
  }
  const c = matches[0]!;
  const state = expiryState(c.endDateTime, now, warnDays);
  const others = creds.filter((k) => k.keyId !== c.keyId && expiryState(k.endDateTime, now, warnDays) === 'expired');
  const notes = [
    by === 'customKeyIdentifier'
      ? 'Matched by customKeyIdentifier (Graph returned no certificate `key`); it only defaults to the thumbprint, so this match rests on that default.'
      : '',
    others.length ? `Other expired certificates (not in use): ${others.map((k) => `${label(k)}, expired ${k.endDateTime}`).join('; ')}.` : '',
  ].filter(Boolean);
  const details = notes.length ? notes.join('\n\n') : undefined;
  const extra = { ...(details ? { details } : {}), evidence: { ...evidence, matched: c.keyId } };
  if (state === 'expired') return finding('CERTIFICATE_EXPIRED', `The certificate ${label(c)} expired on ${c.endDateTime}.`, extra);
  if (state === 'expires-soon') {
    return finding('CERTIFICATE_EXPIRES_SOON', `The certificate ${label(c)} expires in ${daysLeft(c.endDateTime, now)} day(s), on ${c.endDateTime}.`, extra);
  }
  return fromFindings([], `The configured certificate is ${label(c)}, valid until ${c.endDateTime ?? 'no end date'}.`, extra);
}
