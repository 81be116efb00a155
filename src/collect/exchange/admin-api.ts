/**
 * The one collector that talks to the Exchange Online admin API — the REST endpoint the EXO v3
 * PowerShell module uses. Microsoft does not document it: everything here follows the shape
 * three public clients agree on (reference D, [O]: GreyCorbel/ExoHelper, CIPP-API
 * New-ExoRequest.ps1, claudineyqr/ExchangeOnlineAdminRestApi). If it changes, only this file does.
 */
import { randomUUID } from 'node:crypto';
import { FactError } from '../../core/fact-error.js';
import type { CollectContext } from '../../core/fact.js';
import { recordRequestId } from '../../core/request-ids.js';
import { identitySpec } from '../identity/provider.js';
import { getAccessToken, type AccessToken } from '../identity/tokens.js';
import { CommandBatcher, type AdminResponse } from './command-batch.js';
import { readOnce } from './read-ahead.js';
import { Semaphore } from '../../core/semaphore.js';
import { rows, type Row } from './values.js';

/** At most this many admin API calls in flight per tenant (the service allows only a few). */
export const MAX_CONCURRENT_PER_TENANT = 3;
/** Safety stop for a nextLink that never ends. */
const MAX_PAGES = 50;

/** The app-only anchor mailbox (reference D1, [O] CIPP and a Go client). */
const APP_ANCHOR_MAILBOX = 'SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}';

/** Exchange's "object not found" (Get-Mailbox -Identity of an unknown recipient). */
const NOT_FOUND_MESSAGE = /ManagementObjectNotFoundException|couldn't be found|could not be found|wasn't found|was not found/i;

export interface InvokeOptions {
  /** Cmdlet parameters, e.g. { Identity: 'someone@example.com' }. */
  parameters?: Record<string, unknown>;
}

/** A cmdlet the admin API answered with an error naming an unknown object. */
export class ExchangeObjectNotFound extends Error {
  override name = 'ExchangeObjectNotFound';
  constructor(
    readonly cmdlet: string,
    message: string,
    readonly requestIds: string[],
  ) {
    super(message);
  }
}

interface AdminApiError {
  message: string | null;
  exceptionType: string | null;
}

/**
 * Runs one Get-* cmdlet through `InvokeCommand` and returns every row of every page. Calls made
 * in the same tick travel together in `$batch` requests (command-batch.ts); a per-mailbox read of
 * a fleet is read for every asset at once (read-ahead.ts).
 */
export async function invokeCommand(ctx: CollectContext, cmdlet: string, opts: InvokeOptions = {}): Promise<Row[]> {
  const token = await getAccessToken(ctx, 'reader', 'exchange');
  const tenant = token.claims.tid ?? ctx.config.tenantId ?? '';
  return readOnce(ctx, cmdlet, opts.parameters ?? {}, (parameters) => invokeAllPages(ctx, token, tenant, cmdlet, parameters));
}

/** The run's batcher for a tenant: one per tenant, so the concurrency limit holds across facts. */
function batcherFor(ctx: CollectContext, tenant: string): CommandBatcher {
  const key = 'exchange.adminApi.batchers';
  let byTenant = ctx.services.get(key) as Map<string, CommandBatcher> | undefined;
  if (!byTenant) {
    byTenant = new Map();
    ctx.services.set(key, byTenant);
  }
  let b = byTenant.get(tenant);
  if (!b) {
    b = new CommandBatcher(ctx, `${apiBase(ctx, tenant)}/$batch`, new Semaphore(MAX_CONCURRENT_PER_TENANT));
    byTenant.set(tenant, b);
  }
  return b;
}

function apiBase(ctx: CollectContext, tenant: string): string {
  return `${ctx.config.endpoints.exchange.replace(/\/+$/, '')}/adminapi/beta/${encodeURIComponent(tenant)}`;
}

async function invokeAllPages(ctx: CollectContext, token: AccessToken, tenant: string, cmdlet: string, parameters: Record<string, unknown>): Promise<Row[]> {
  const batcher = batcherFor(ctx, tenant);
  let url: string | null = `${apiBase(ctx, tenant)}/InvokeCommand`;
  // Reference D1: {"CmdletInput":{"CmdletName":…,"Parameters":{…}}}; the same body is POSTed to every nextLink.
  const body = { CmdletInput: { CmdletName: cmdlet, Parameters: parameters } };
  const headers: Record<string, string> = {
    authorization: `Bearer ${token.token}`,
    'x-anchormailbox': anchorMailbox(token, tenant),
    prefer: 'odata.maxpagesize=1000',
    'x-cmdletname': cmdlet,
    'client-request-id': randomUUID(),
  };
  const out: Row[] = [];
  const requestIds: string[] = [];
  for (let page = 0; url && page < MAX_PAGES; page++) {
    const res: AdminResponse = await batcher.post({ url, cmdlet, body, headers });
    if (res.requestId) {
      requestIds.push(res.requestId);
      recordRequestId(res.requestId);
    }
    if (res.status >= 200 && res.status < 300) {
      out.push(...rows(pageValue(res.body)));
      url = nextLink(res.body);
      continue;
    }
    throw failure(ctx, token, cmdlet, url, res.status, res.headers, res.body, requestIds);
  }
  return out;
}

/** app-only: `APP:SystemMailbox{…}@tenant`; delegated (device code): `UPN:admin@…` (reference D1). */
function anchorMailbox(token: AccessToken, tenant: string): string {
  if (token.identity === 'device-code' && token.claims.upn) return `UPN:${token.claims.upn}`;
  return `APP:${APP_ANCHOR_MAILBOX}@${tenant}`;
}

function pageValue(body: unknown): unknown {
  if (body && typeof body === 'object' && !Array.isArray(body) && 'value' in body) return (body as { value: unknown }).value;
  return body;
}

function nextLink(body: unknown): string | null {
  if (!body || typeof body !== 'object') return null;
  const link = (body as Record<string, unknown>)['@odata.nextLink'];
  return typeof link === 'string' && link !== '' ? link : null;
}

/** The error text, from wherever the service put it (reference D2). */
export function errorOf(body: unknown, headers: Record<string, string>): AdminApiError {
  const exceptionType = headers['x-exceptiontype'] ?? null;
  const e = body && typeof body === 'object' ? (body as Record<string, any>).error : undefined;
  if (!e || typeof e !== 'object') return { message: typeof body === 'string' && body ? body.slice(0, 300) : null, exceptionType };
  const details = Array.isArray(e.details) ? e.details[0] : e.details;
  let message: string | null = typeof details?.message === 'string' ? details.message : null;
  // ExoHelper splits details.message on '|' (…|ExceptionType|Message).
  if (message?.includes('|')) message = message.split('|').filter(Boolean).pop() ?? message;
  message ??= typeof e.innererror?.internalException?.message === 'string' ? e.innererror.internalException.message : null;
  message ??= typeof e.message === 'string' ? e.message : null;
  const typeFromDetails = typeof details?.message === 'string' ? /\|([\w.]+Exception)\|/.exec(details.message)?.[1] : undefined;
  return { message, exceptionType: exceptionType ?? typeFromDetails ?? null };
}

function failure(ctx: CollectContext, token: AccessToken, cmdlet: string, url: string, status: number, headers: Record<string, string>, body: unknown, requestIds: string[]): Error {
  const err = errorOf(body, headers);
  const evidence = { cmdlet, status, exceptionType: err.exceptionType, message: err.message, source: 'Exchange admin API (undocumented, observed shape)' };
  if (status === 401 || status === 403) return missingPermission(ctx, token, cmdlet, status, err, requestIds);
  if (status < 500 && NOT_FOUND_MESSAGE.test(`${err.exceptionType ?? ''} ${err.message ?? ''}`)) {
    return new ExchangeObjectNotFound(cmdlet, err.message ?? `${cmdlet}: object not found`, requestIds);
  }
  return new FactError('UNEXPECTED_RESPONSE', `The Exchange admin API answered ${status} to ${cmdlet}${err.message ? `: ${err.message}` : '.'}`, {
    details:
      'The Exchange admin API (the endpoint the Exchange Online PowerShell module uses) is not documented by Microsoft; its answer did not match the observed shape. ' +
      'Run again; if it persists, evaluate offline instead: `wxmail evidence-script > collect.ps1`, run it in PowerShell, then `wxmail doctor --exchange-evidence DIR`.',
    evidence: { ...evidence, url: url.split('?')[0] },
    requestIds,
  });
}

/**
 * 401/403: the identity has no Exchange.ManageAsApp (app-only), or no Exchange/Entra role that
 * lets it run Get-* cmdlets (reference D3). Both ways out are named: a reader that has them, or
 * the offline evidence script.
 */
function missingPermission(ctx: CollectContext, token: AccessToken, cmdlet: string, status: number, err: AdminApiError, requestIds: string[]): FactError {
  const spec = identitySpec(ctx, 'reader', 'exchange');
  const delegated = token.identity === 'device-code';
  const hasManageAsApp = (token.claims.roles ?? []).includes('Exchange.ManageAsApp');
  // G10: a delegated token without Exchange.Manage is a consent problem of the sign-in client, not a missing role.
  const noManageScope = delegated && !(token.claims.scp ?? '').split(/\s+/).some((x) => x.toLowerCase() === 'exchange.manage');
  const permission = noManageScope
    ? { name: 'Exchange.Manage (delegated, consented for the sign-in client)', identity: spec.label, api: 'Office 365 Exchange Online' }
    : delegated
    ? { name: 'an Exchange role (e.g. Global Reader or View-Only Organization Management)', identity: spec.label, api: 'Exchange Online' }
    : hasManageAsApp
      ? { name: 'a Microsoft Entra role for the app, e.g. Global Reader (Exchange RBAC)', identity: spec.label, api: 'Exchange Online' }
      : { name: 'Exchange.ManageAsApp', identity: spec.label, api: 'Office 365 Exchange Online' };
  const what = noManageScope
    ? `signed in through a client whose token carries no Exchange.Manage (scp: ${token.claims.scp ?? 'none'}): a consent failure, not a missing Exchange role`
    : delegated
    ? 'has no Exchange role that may run it'
    : hasManageAsApp
      ? 'holds Exchange.ManageAsApp but no Microsoft Entra role (e.g. Global Reader) assigned to its service principal'
      : 'lacks the application permission Exchange.ManageAsApp (with admin consent), and needs an Entra role such as Global Reader too';
  return new FactError('MISSING_PERMISSION', `The Exchange admin API refused ${cmdlet} (${status}): ${spec.label} ${what}.`, {
    permission,
    details: [
      `The Exchange checks read Exchange Online settings with Get-* cmdlets, which needs **Exchange.ManageAsApp** (Office 365 Exchange Online, application permission, admin consent) **plus** a Microsoft Entra role such as **Global Reader** assigned to the reading app.${err.message ? ` Exchange said: "${err.message.replace(/\.$/, '')}".` : ''}`,
      'Two ways out:',
      '1. Run with a reader identity that has both: `--reader-client-id <app id>` with `--reader-client-secret-file` or `--reader-client-certificate` (Exchange.ManageAsApp + Global Reader), or `--sign-in` as an admin with an Exchange role.',
      '2. Without granting anything: `wxmail evidence-script --mailbox <mailbox> > collect.ps1`, have an Exchange admin run it in PowerShell (it connects with Connect-ExchangeOnline and writes one JSON file per cmdlet), then `wxmail doctor --exchange-evidence <folder>` evaluates those files with the same checks.',
    ].join('\n\n'),
    evidence: { cmdlet, status, exceptionType: err.exceptionType, message: err.message, identity: spec.label, rolesInToken: token.claims.roles ?? [], source: 'Exchange admin API (undocumented, observed shape)' },
    requestIds,
  });
}
