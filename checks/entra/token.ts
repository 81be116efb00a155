import { defineCheck, finding, fromFindings, type Finding } from '../../src/core/check.js';
import { cloudProvenanceNote } from '../../src/config/clouds.js';
import type { RunConfig } from '../../src/config/types.js';
import { resourceName } from '../../src/collect/identity/resources.js';
import { webexTokensFact, type WebexTokenResult } from '../../src/collect/identity/webex-token-fact.js';
import { explain } from './lib/explanations.js';

/** Entra judges token times by its own clock; more than this apart and sign-ins misbehave. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

/** What a client-credentials sign-in of the Webex app cannot do without (names the flags). */
export function missingTokenInputs(config: Pick<RunConfig, 'tenantId' | 'clientId' | 'clientSecret' | 'clientCertificate'>): string[] {
  const out: string[] = [];
  if (!config.tenantId?.trim()) out.push('tenant ID (--tenant-id)');
  if (!config.clientId?.trim()) out.push('client ID (--client-id)');
  if (!config.clientSecret && !config.clientCertificate) out.push('client secret (--client-secret-file) or certificate (--client-certificate)');
  return out;
}

/**
 * Can the Webex app get tokens at all? Client credentials for Graph and for Exchange Online with
 * the Webex identity (the secret or certificate Webex Connect holds). Every AADSTS failure becomes
 * a named cause; the decoded claims are evidence (diagnostic only — the token never is).
 */
export default defineCheck({
  id: 'entra.token',
  title: 'The Webex app can sign in',
  step: 2,
  description:
    'Requests client-credentials tokens for Microsoft Graph and Office 365 Exchange Online with the Webex app\'s client ID and secret (or certificate), ' +
    'as Entra ID sees them. A wrong or expired secret, the secret\'s ID pasted instead of its value, a wrong client or tenant ID and a disabled app each get their own code; ' +
    'a local clock more than 5 minutes off is flagged. Evidence: the decoded token claims (aud, tid, appid, roles, exp).',
  scope: 'tenant',
  needs: { tokens: webexTokensFact },
  precondition({ config }) {
    const missing = missingTokenInputs(config);
    return missing.length ? finding('INPUT_MISSING', `Cannot request a token: missing ${missing.join(', ')}.`) : null;
  },
  permissions: ['none (client credentials of the Webex app itself)'],
  explanations: explain(
    'SECRET_INVALID',
    'SECRET_ID_NOT_VALUE',
    'SECRET_EXPIRED',
    'CERTIFICATE_EXPIRED',
    'APP_NOT_FOUND',
    'APP_DISABLED',
    'TENANT_NOT_FOUND',
    'TOKEN_FAILED',
    'CLOCK_SKEW',
    // G7: sign-in errors with their own cause.
    'SERVICE_PRINCIPAL_MISSING',
    'CONDITIONAL_ACCESS_BLOCKED',
    'RESOURCE_NOT_IN_TENANT',
    'CLIENT_ASSERTION_TIME_INVALID',
  ),
  run({ tokens }, { config }) {
    const results = [tokens.graph, tokens.exchange];
    const findings: Finding[] = [];
    const details: string[] = [];
    const seen = new Set<string>();
    for (const r of results) {
      if (r.ok || !r.error) continue;
      const both = results.every((x) => !x.ok && x.error?.code === r.error!.code);
      if (seen.has(r.error.code)) continue;
      seen.add(r.error.code);
      findings.push({ code: r.error.code, message: both ? r.error.summary : `${resourceName(r.resource)}: ${r.error.summary}` });
      if (r.error.details) details.push(r.error.details);
    }
    const skew = results.map((r) => r.clockSkewSeconds).find((s): s is number => s !== null) ?? null;
    if (skew !== null && Math.abs(skew) > MAX_CLOCK_SKEW_SECONDS) {
      findings.push({
        code: 'CLOCK_SKEW',
        message: `This machine's clock is ${describeSkew(skew)} Entra ID's (server Date ${results.find((r) => r.serverDate)?.serverDate ?? ''}).`,
      });
    }
    const evidence = {
      credential: tokens.credential,
      cloud: config.cloud,
      graph: evidenceOf(tokens.graph),
      exchange: evidenceOf(tokens.exchange),
      clockSkewSeconds: skew,
    };
    const requestIds = results.flatMap((r) => r.requestIds);
    const ok = results.filter((r) => r.ok).map((r) => resourceName(r.resource));
    // G24: on a sovereign cloud, say which endpoints (the Exchange token scope among them) are only observed.
    const cloudNote = cloudProvenanceNote(config.cloud);
    if (cloudNote) details.push(cloudNote);
    return fromFindings(findings, `The Webex app got tokens for ${ok.join(' and ')} (${tokens.credential === 'certificate' ? 'certificate' : 'client secret'}).`, {
      ...(details.length ? { details: details.join('\n\n') } : {}),
      evidence,
      requestIds,
    });
  },
});

function evidenceOf(r: WebexTokenResult): Record<string, unknown> {
  if (r.ok && r.claims) {
    const c = r.claims;
    return {
      ok: true,
      aud: c.aud ?? null,
      tid: c.tid ?? null,
      appid: c.appid ?? null,
      roles: c.roles ?? [],
      exp: c.exp ?? null,
      expiresAt: c.exp ? new Date(c.exp * 1000).toISOString() : null,
    };
  }
  return { ok: false, code: r.error?.code ?? null, ...(r.error?.evidence ?? {}) };
}

function describeSkew(skew: number): string {
  const minutes = Math.round(Math.abs(skew) / 60);
  return skew > 0 ? `${minutes} min behind` : `${minutes} min ahead of`;
}
