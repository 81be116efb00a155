import { randomUUID } from 'node:crypto';
import type { AccountInfo, AuthenticationResult, DeviceCodeRequest, NodeSystemOptions, PublicClientApplication } from '@azure/msal-node';
import type { Code } from '../../core/codes.js';
import { FactError } from '../../core/fact-error.js';
import type { CollectContext } from '../../core/fact.js';
import { redactor } from '../../core/redact.js';
import { aadEvidence, mapAadError, parseAadError, type AadError } from '../errors/aadsts.js';
import { conventionalAuthority, resolveAuthority, sameTokenEndpoint, type AuthorityConfig } from './authority.js';
import { CLIENT_ASSERTION_TYPE, clientAssertion } from './client-assertion.js';
import { decodeClaims } from './claims.js';
import { netNetworkClient, WireLog, type WireRecord } from './network-client.js';
import { defaultScope, resourceName, resourceUri, type Resource } from './resources.js';
import type { AccessToken, Who } from './tokens.js';

/**
 * Microsoft Graph Command Line Tools — the public client `Connect-MgGraph` uses. It is a
 * Microsoft multi-tenant app that exists in every tenant on first use, allows the device-code
 * flow, and lets an admin consent to the Graph read scopes at sign-in, so an admin can run the
 * doctor without registering anything. A tenant that blocks it can name its own public client
 * (`reader.clientId`).
 */
export const DEFAULT_PUBLIC_CLIENT_ID = '14d82eec-204b-4c2f-b7e8-296a70dab67e';

/**
 * The ExchangeOnlineManagement module's public client ("Microsoft Exchange REST API Based
 * Powershell", G10 [O]): the client Connect-ExchangeOnline signs in with, known to hold the
 * delegated Exchange.Manage permission the Exchange admin API needs. Whether Graph Command Line
 * Tools may get an Exchange token at all is NOT VERIFIED (AADSTS65002 "consent between first party
 * application and first party resource must be configured via preauthorization" is what a
 * first-party client without it gets), so the default device-code reader signs in to Exchange
 * through this client — a second device-code prompt, because the two clients share no session.
 */
export const EXCHANGE_PUBLIC_CLIENT_ID = 'fb78d390-0c51-40cd-8e17-fdbfab77341b';

/**
 * AADSTS codes that mean "not consented" (A3 [V]): the signed-in admin or the client lacks consent
 * for the scope. A consent failure, never "the admin has no Exchange role" (G10).
 */
const CONSENT_ERRORS: ReadonlySet<number> = new Set([65001, 65002, 65004, 90094, 90008]);

/**
 * Delegated Graph scopes the device-code reader asks for: the least-privileged read permissions
 * the checks name (Application.Read.All: app registration, service principals, app role
 * assignments; Directory.Read.All: delegated permission grants, whose list API names no lower
 * permission; Policy.Read.All: the user-consent policy; User.Read.All, GroupMember.Read.All:
 * mailbox users and group scoping; MailboxSettings.Read: inbox rules). Explicit scopes rather
 * than `.default`, so the admin is asked to consent to exactly these.
 */
export const DEVICE_CODE_GRAPH_SCOPES = ['Application.Read.All', 'Directory.Read.All', 'Policy.Read.All', 'User.Read.All', 'GroupMember.Read.All', 'MailboxSettings.Read'];

/** Codes that say "the network/service failed", kept as they are when the reader fails. */
const TRANSPORT_CODES: ReadonlySet<Code> = new Set(['NETWORK', 'TIMEOUT', 'THROTTLED', 'UNEXPECTED_RESPONSE', 'INPUT_MISSING']);

export type IdentityKind = AccessToken['identity'];

/** Who signs in, with which credential. */
export interface IdentitySpec {
  /** Memo key: the reader falls back to the very same entry as the Webex identity. */
  key: 'webex' | 'reader-app' | 'reader-device-code' | 'reader-device-code-exchange';
  kind: IdentityKind;
  clientId: string | undefined;
  clientSecret: string | undefined;
  certificate: { path: string; pem: string } | undefined;
  /** For messages: "the Webex app 56ba9bac-…". */
  label: string;
}

/** One token request and what came back, kept whether it worked or not (entra.token reports both). */
export type TokenAttempt = {
  resource: Resource;
  identity: IdentityKind;
  clientId: string;
  /** Server `Date` minus our clock when its answer arrived, in seconds; null without an answer. */
  clockSkewSeconds: number | null;
  serverDate: string | null;
  requestIds: string[];
} & ({ ok: true; token: AccessToken } | { ok: false; error: FactError });

const SERVICE_KEY = 'identity.provider';

export function identityProvider(ctx: CollectContext): IdentityProvider {
  let p = ctx.services.get(SERVICE_KEY) as IdentityProvider | undefined;
  if (!p) {
    p = new IdentityProvider(ctx);
    ctx.services.set(SERVICE_KEY, p);
  }
  return p;
}

/** The attempt behind getAccessToken, for checks that report failures themselves (entra.token). */
export function tokenAttempt(ctx: CollectContext, who: Who, resource: Resource): Promise<TokenAttempt> {
  return identityProvider(ctx).attempt(who, resource);
}

export function identitySpec(ctx: Pick<CollectContext, 'config'>, who: Who, resource?: Resource): IdentitySpec {
  const { config } = ctx;
  const reader = who === 'reader' ? config.reader : undefined;
  if (!reader) {
    return {
      key: 'webex',
      kind: 'webex',
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      certificate: config.clientCertificate,
      label: `the Webex app ${config.clientId ?? '(no client ID)'}`,
    };
  }
  if (reader.kind === 'device-code') {
    // G10: without a client of the tenant's own, Graph is read through Graph Command Line Tools and
    // Exchange through the Exchange Online PowerShell client (the one known to hold Exchange.Manage).
    const exchange = resource === 'exchange' && !reader.clientId;
    const clientId = reader.clientId ?? (exchange ? EXCHANGE_PUBLIC_CLIENT_ID : DEFAULT_PUBLIC_CLIENT_ID);
    const name = exchange ? 'Exchange Online PowerShell public client' : 'public client';
    return { key: exchange ? 'reader-device-code-exchange' : 'reader-device-code', kind: 'device-code', clientId, clientSecret: undefined, certificate: undefined, label: `the admin signed in with a device code (${name} ${clientId})` };
  }
  return {
    key: 'reader-app',
    kind: 'app',
    clientId: reader.clientId,
    clientSecret: reader.clientSecret,
    certificate: reader.clientCertificate,
    label: `the reader app ${reader.clientId ?? '(no client ID)'}`,
  };
}

/** What is missing before a client-credentials sign-in can be tried; empty when nothing is. */
export function missingInputs(ctx: Pick<CollectContext, 'config'>, spec: IdentitySpec): string[] {
  const out: string[] = [];
  const reader = spec.key === 'reader-app';
  if (!ctx.config.tenantId?.trim()) out.push('tenant ID (--tenant-id)');
  if (spec.kind === 'device-code') return out;
  if (!spec.clientId) out.push(reader ? 'reader client ID (--reader-client-id)' : 'client ID (--client-id)');
  if (!spec.clientSecret && !spec.certificate) {
    out.push(reader ? 'reader client secret or certificate' : 'client secret (--client-secret-file) or certificate (--client-certificate)');
  }
  return out;
}

export class IdentityProvider {
  readonly #ctx: CollectContext;
  readonly #attempts = new Map<string, Promise<TokenAttempt>>();
  readonly #public = new Map<string, Promise<PublicClientApplication>>();
  #deviceAccount: AccountInfo | undefined;
  readonly wire = new WireLog();

  constructor(ctx: CollectContext) {
    this.#ctx = ctx;
  }

  attempt(who: Who, resource: Resource): Promise<TokenAttempt> {
    const spec = identitySpec(this.#ctx, who, resource);
    const key = `${spec.key}|${resource}`;
    let p = this.#attempts.get(key);
    if (!p) {
      p = this.#acquire(spec, resource);
      this.#attempts.set(key, p);
    }
    return p;
  }

  async token(who: Who, resource: Resource): Promise<AccessToken> {
    const a = await this.attempt(who, resource);
    if (a.ok) return a.token;
    if (who === 'webex' || TRANSPORT_CODES.has(a.error.code)) throw a.error;
    const spec = identitySpec(this.#ctx, who, resource);
    const aadsts = typeof a.error.evidence?.aadsts === 'number' ? a.error.evidence.aadsts : null;
    const consent = aadsts !== null && CONSENT_ERRORS.has(aadsts);
    const consentNote = consent
      ? `This is a consent failure (AADSTS${aadsts}), not a missing role: ${spec.kind === 'device-code' ? `the sign-in client ${spec.clientId} has no consent for ${resourceName(resource)} in this tenant` : 'the reader app lacks admin consent for the permission'}. ` +
        (resource === 'exchange' && spec.kind === 'device-code' && spec.clientId !== EXCHANGE_PUBLIC_CLIENT_ID
          ? `Leave out --reader-client-id so the doctor signs in to Exchange through the Exchange Online PowerShell client (${EXCHANGE_PUBLIC_CLIENT_ID}), or grant your client the delegated permission Exchange.Manage (Office 365 Exchange Online) with admin consent.\n\n`
          : 'An admin consents once (sign in with an admin account and accept the consent prompt, or grant admin consent for the client in Enterprise applications).\n\n')
      : '';
    throw new FactError('READER_SIGN_IN_FAILED', `The identity that reads the tenant (${spec.label}) could not get a ${resourceName(resource)} token${consent ? ' because consent is missing' : ''}: ${a.error.message}`, {
      details:
        consentNote +
        (a.error.details ? `${a.error.details}\n\n` : '') +
        (spec.kind === 'webex'
          ? 'Without a reader identity the Webex app reads the tenant itself; fix its sign-in (see `entra.token`), or run with a reader (`--reader-client-id` …, or `--sign-in`).'
          : 'Fix the reader\'s sign-in, or run without it (the Webex app then reads what it can).'),
      evidence: { ...a.error.evidence, cause: consent ? 'CONSENT_MISSING' : a.error.code, identity: spec.kind, clientId: spec.clientId ?? null, resource },
      requestIds: a.error.requestIds,
    });
  }

  async #acquire(spec: IdentitySpec, resource: Resource): Promise<TokenAttempt> {
    let correlationId = randomUUID();
    const base = { resource, identity: spec.kind, clientId: spec.clientId ?? '' };
    const finish = (rec: WireRecord | undefined, authorityIds: string[]) => ({
      ...base,
      clockSkewSeconds: skewOf(rec),
      serverDate: rec?.serverDate ?? null,
      requestIds: [...authorityIds, ...(rec?.requestIds ?? [])],
    });
    const missing = missingInputs(this.#ctx, spec);
    if (missing.length > 0) {
      const error = new FactError('INPUT_MISSING', `Cannot sign in as ${spec.label}: missing ${missing.join(', ')}.`, { evidence: { missing } });
      return { ...finish(undefined, []), ok: false, error };
    }
    // An overridden login host's metadata is read before it is trusted, but a client-credentials
    // request need not wait for it: it leaves at once for Entra's conventional token endpoint under
    // that host, and counts only when the metadata names that very endpoint (one round trip less;
    // issue 9). A device-code sign-in never starts on a guess (the admin would be prompted).
    const guess = spec.kind === 'device-code' ? null : conventionalAuthority(this.#ctx);
    const early = guess ? settle(this.#clientCredentials(spec, resource, correlationId, guess)) : null;
    let authority: AuthorityConfig;
    try {
      authority = await resolveAuthority(this.#ctx);
    } catch (err) {
      await early;
      return { ...finish(undefined, []), ok: false, error: asFactError(err, spec, resource) };
    }
    let outcome: Settled<{ accessToken: string; account?: AccountInfo | null } | null>;
    if (early && guess && sameTokenEndpoint(guess, authority)) {
      outcome = await early;
    } else {
      if (early) {
        await early;
        correlationId = randomUUID();
      }
      outcome = await settle(
        spec.kind === 'device-code'
          ? this.#deviceCode(spec, resource, correlationId, authority)
          : this.#clientCredentials(spec, resource, correlationId, authority),
      );
    }
    if (!outcome.ok) {
      const rec = this.wire.get(correlationId);
      return { ...finish(rec, authority.requestIds), ok: false, error: this.#mapFailure(outcome.error, rec, spec, resource, authority.requestIds) };
    }
    const result = outcome.value;
    const rec = this.wire.get(correlationId);
    const done = finish(rec, authority.requestIds);
    const token = result?.accessToken ?? '';
    if (!token) {
      // msal resolves `accessToken: ""` when the endpoint answers 2xx/404 with `{}` (libraries.md §2).
      const status = rec?.lastStatus ?? 0;
      const error = new FactError('TOKEN_FAILED', `The token endpoint answered HTTP ${status} without an access token for ${resourceName(resource)}.`, {
        details: 'A proxy or firewall may have answered instead of Entra ID, or the login endpoint is not Microsoft\'s.',
        evidence: { httpStatus: status, identity: spec.kind, clientId: spec.clientId ?? null, resource },
        requestIds: done.requestIds,
      });
      return { ...done, ok: false, error };
    }
    redactor.addSecret(token);
    const requestId = done.requestIds.at(-1);
    return {
      ...done,
      ok: true,
      token: { token, claims: decodeClaims(token), identity: spec.kind, clientId: spec.clientId ?? '', ...(requestId ? { requestId } : {}) },
    };
  }

  /**
   * The client-credentials grant as Microsoft documents it (reference A1 [V]): one form POST to the
   * tenant's token endpoint with `client_secret`, or a signed `client_assertion` for a certificate
   * (client-assertion.ts). Sent directly on the Net rather than through msal-node, whose load alone
   * cost ~70–150 ms of CPU before a run's first token request, and ~9 MB (issue 9); msal still
   * serves the device-code sign-in. The answer is kept in the wire record like every sign-in's, so
   * an AADSTS body is mapped by the one table (#mapFailure), and a 2xx/4xx without a token is
   * TOKEN_FAILED naming the status (#acquire).
   */
  async #clientCredentials(spec: IdentitySpec, resource: Resource, correlationId: string, authority: AuthorityConfig): Promise<{ accessToken: string }> {
    const endpoint = (JSON.parse(authority.authorityMetadata) as { token_endpoint: string }).token_endpoint;
    const clientId = spec.clientId ?? '';
    const form = new URLSearchParams({ client_id: clientId, scope: defaultScope(this.#ctx.config.cloud, resource), grant_type: 'client_credentials' });
    if (spec.certificate) {
      form.set('client_assertion_type', CLIENT_ASSERTION_TYPE);
      form.set('client_assertion', await clientAssertion(spec.certificate, clientId, endpoint));
    } else {
      form.set('client_secret', spec.clientSecret ?? '');
    }
    const client = netNetworkClient(this.#ctx.net, this.wire, this.#ctx.signal);
    const res = await client.sendPostRequestAsync<Record<string, unknown>>(`${endpoint}?client-request-id=${encodeURIComponent(correlationId)}`, {
      body: form.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8', 'client-request-id': correlationId, 'return-client-request-id': 'true' },
      correlationId,
    });
    if (res.status >= 400 && parseAadError(res.body, res.status)) throw new Error(`The token endpoint answered HTTP ${res.status}.`);
    return { accessToken: typeof res.body.access_token === 'string' ? res.body.access_token : '' };
  }

  /** One msal public client per client id (G10: Graph and Exchange may sign in through different clients). */
  #publicApp(spec: IdentitySpec, authority: AuthorityConfig): Promise<PublicClientApplication> {
    const clientId = spec.clientId ?? DEFAULT_PUBLIC_CLIENT_ID;
    let p = this.#public.get(clientId);
    if (!p) {
      p = (async () => {
        const msal = await import('@azure/msal-node');
        return new msal.PublicClientApplication({
          auth: { clientId, ...authorityOptions(authority) },
          system: this.#systemOptions(msal.LogLevel),
        });
      })();
      this.#public.set(clientId, p);
    }
    return p;
  }

  /**
   * The admin signs in for Graph; for Exchange (G10) the default is a second device-code sign-in
   * through the Exchange Online PowerShell client, which holds Exchange.Manage [O]. A client of
   * the tenant's own (`reader.clientId`) serves both: the Exchange token then comes silently from
   * msal's cache (the refresh token of the Graph sign-in), else from a second prompt.
   */
  async #deviceCode(spec: IdentitySpec, resource: Resource, correlationId: string, authority: AuthorityConfig): Promise<AuthenticationResult | null> {
    const app = await this.#publicApp(spec, authority);
    const scopes = resource === 'graph'
      ? DEVICE_CODE_GRAPH_SCOPES.map((s) => `${resourceUri(this.#ctx.config.cloud, 'graph')}/${s}`)
      : [defaultScope(this.#ctx.config.cloud, 'exchange')];
    if (resource === 'exchange') {
      const first = await this.attempt('reader', 'graph');
      if (!first.ok) throw first.error; // the admin did not sign in: do not ask twice
      // The same client (a --reader-client-id of the tenant's own) can reuse the Graph sign-in.
      if (this.#deviceAccount && spec.clientId === identitySpec(this.#ctx, 'reader', 'graph').clientId) {
        try {
          return await app.acquireTokenSilent({ account: this.#deviceAccount, scopes, correlationId });
        } catch (err) {
          this.#ctx.log.debug({ component: 'identity' }, redactor.text(`Silent Exchange token failed, asking again: ${(err as Error).message}`));
        }
      }
    }
    const signal = this.#ctx.signal;
    const request: DeviceCodeRequest = {
      scopes,
      correlationId,
      cancel: false,
      deviceCodeCallback: (r) => {
        // The code and URL are for the admin at the terminal, never for a report: stderr only.
        process.stderr.write(`\n${r.message}\n(wxmail: ${resourceName(resource)} read access for the doctor, through ${spec.label.replace(/^the admin signed in with a device code \(/, '').replace(/\)$/, '')})\n\n`);
      },
    };
    let stop: () => void = () => {};
    const aborted = new Promise<never>((_resolve, reject) => {
      stop = () => {
        request.cancel = true;
        reject(new FactError('TIMEOUT', 'The device-code sign-in was not completed in time.', { details: 'Sign in within `--sign-in-timeout` (default 300 s), or raise it.' }));
      };
      if (signal.aborted) stop();
      else signal.addEventListener('abort', stop, { once: true });
    });
    let result: AuthenticationResult | null;
    try {
      result = await Promise.race([app.acquireTokenByDeviceCode(request), aborted]);
    } finally {
      signal.removeEventListener('abort', stop);
    }
    if (result?.account && resource === 'graph') this.#deviceAccount = result.account;
    return result;
  }

  #systemOptions(levels: typeof import('@azure/msal-node').LogLevel) {
    const log = this.#ctx.log;
    const verbose = log.level === 'debug' || log.level === 'trace';
    const loggerOptions: NonNullable<NodeSystemOptions['loggerOptions']> = {
      piiLoggingEnabled: false,
      logLevel: verbose ? levels.Verbose : levels.Error,
      loggerCallback: (_level: unknown, message: string, containsPii: boolean) => {
        if (containsPii) return;
        log.debug({ component: 'msal' }, redactor.text(message));
      },
    };
    return {
      networkClient: netNetworkClient(this.#ctx.net, this.wire, this.#ctx.signal),
      loggerOptions,
    };
  }

  #mapFailure(err: unknown, rec: WireRecord | undefined, spec: IdentitySpec, resource: Resource, authorityIds: string[]): FactError {
    const requestIds = [...authorityIds, ...(rec?.requestIds ?? [])];
    const context = { identity: spec.kind, clientId: spec.clientId ?? null, resource };
    if (err instanceof FactError && err.code !== 'TOKEN_FAILED') return err;
    if (rec?.transportError) {
      const t = rec.transportError;
      return new FactError(t.code, t.message, { details: t.details, evidence: { ...t.evidence, ...context }, requestIds: [...requestIds, ...t.requestIds] });
    }
    const aad = parseAadError(rec?.lastErrorBody, rec?.lastStatus ?? 0) ?? fromMsalServerError(err);
    if (aad) {
      const m = mapAadError(aad, {
        clientSecret: spec.clientSecret,
        clientId: spec.clientId,
        tenantId: this.#ctx.config.tenantId,
        credential: spec.certificate ? 'certificate' : spec.clientSecret ? 'secret' : 'none',
      });
      return new FactError(m.code, m.summary, { details: m.details, evidence: { ...aadEvidence(aad), ...context }, requestIds });
    }
    return asFactError(err, spec, resource, requestIds);
  }
}

function authorityOptions(a: AuthorityConfig) {
  return {
    authority: a.authority,
    knownAuthorities: a.knownAuthorities,
    authorityMetadata: a.authorityMetadata,
    cloudDiscoveryMetadata: a.cloudDiscoveryMetadata,
  };
}

function skewOf(rec: WireRecord | undefined): number | null {
  if (!rec?.serverDate || rec.receivedAt === undefined) return null;
  const server = Date.parse(rec.serverDate);
  if (Number.isNaN(server)) return null;
  return Math.round((server - rec.receivedAt) / 1000);
}

/** msal's ServerError carries the AADSTS number when the wire record does not (defensive). */
function fromMsalServerError(err: unknown): AadError | null {
  const e = err as { name?: string; errorCode?: string; errorMessage?: string; errorNo?: string | number; status?: number; correlationId?: string };
  if (e?.name !== 'ServerError' && e?.errorNo === undefined) return null;
  const n = e.errorNo !== undefined ? Number(e.errorNo) : null;
  const fromText = /AADSTS(\d+)/.exec(e.errorMessage ?? '');
  const aadsts = n !== null && Number.isFinite(n) ? n : fromText ? Number(fromText[1]) : null;
  if (aadsts === null && !e.errorCode) return null;
  return {
    aadsts,
    error: e.errorCode || null,
    description: e.errorMessage ? redactor.text(e.errorMessage.split(/\r?\n/)[0]!.replace(/^[a-z_]+:\s*/, '')) : null,
    errorUri: aadsts !== null ? `https://login.microsoftonline.com/error?code=${aadsts}` : null,
    traceId: null,
    correlationId: e.correlationId ?? null,
    httpStatus: e.status ?? 0,
  };
}

/** Any other failure (msal client/config errors, a bad certificate file) as a FactError. */
function asFactError(err: unknown, spec: IdentitySpec, resource: Resource, requestIds: string[] = []): FactError {
  if (err instanceof FactError) return err;
  const e = err as { errorCode?: string; message?: string };
  const code = e?.errorCode ?? 'unknown_error';
  return new FactError('TOKEN_FAILED', `Sign-in as ${spec.label} failed before Entra ID answered (${code}).`, {
    details: redactor.text((e?.message ?? String(err)).split(/\r?\n/)[0]!),
    evidence: { msalError: code, identity: spec.kind, clientId: spec.clientId ?? null, resource },
    requestIds,
  });
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** A promise that never rejects: a sign-in started early is awaited later, or not at all. */
function settle<T>(p: Promise<T>): Promise<Settled<T>> {
  return p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}
