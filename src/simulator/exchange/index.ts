import type { SimContext } from '../context.js';
import { authenticate, grantedPermissions } from '../graph/auth.js';
import { odataQuery, page, project } from '../graph/odata.js';
import { newGuid } from '../http/ids.js';
import { header, json, readJson, type SimHandler, type SimRequest } from '../http/types.js';
import { findApp } from '../identity/index.js';
import { resolveTenant } from '../identity/tenant.js';
import { runBatch } from './batch.js';
import { runCmdlet } from './cmdlets.js';
import { exoError, unauthorized } from './errors.js';

export const EXCHANGE_AUDIENCE = 'https://outlook.office365.com';
const ROUTE = /^\/adminapi\/(beta|v1\.0)\/([^/]+)\/InvokeCommand\/?$/i;
const BATCH_ROUTE = /^\/adminapi\/(beta|v1\.0)\/([^/]+)\/\$batch\/?$/i;

/** Whether a request is the admin API's `$batch` (the traffic log counts those apart). */
export function isBatch(req: SimRequest): boolean {
  return BATCH_ROUTE.test(req.path);
}

/** The cmdlet name of an InvokeCommand body, for the traffic log. */
export function cmdletOf(req: SimRequest): string | undefined {
  const body = readJson(req) as { CmdletInput?: { CmdletName?: unknown } } | undefined;
  const n = body?.CmdletInput?.CmdletName;
  return typeof n === 'string' ? n : undefined;
}

/**
 * The Exchange Online admin API (reference D, [O]): `POST /adminapi/beta/{tenant}/InvokeCommand`
 * with `{"CmdletInput":{"CmdletName","Parameters"}}`; results in `value`, paged by
 * `Prefer: odata.maxpagesize=N` and `@odata.nextLink` (POST the same body again).
 */
export function createExchangeHandler(ctx: SimContext): SimHandler {
  const invoke = async (req: SimRequest) => {
    const m = ROUTE.exec(req.path);
    if (!m) return exoError(404, 'NotFound', `The resource ${req.path} was not found.`);
    if (req.method !== 'POST') return exoError(405, 'MethodNotAllowed', 'The requested HTTP method is not allowed.');

    const auth = await authenticate(ctx, req, EXCHANGE_AUDIENCE);
    if (!auth.ok) return unauthorized(auth.message);
    const claims = auth.claims;
    const tenant = resolveTenant(ctx.scenario, m[2]!);
    if (!tenant.ok || tenant.tenantId !== claims.tid) return unauthorized(`The tenant '${m[2]}' in the request does not match the access token.`);

    const body = readJson(req) as { CmdletInput?: { CmdletName?: unknown; Parameters?: unknown } } | undefined;
    const name = body?.CmdletInput?.CmdletName;
    if (typeof name !== 'string' || !name) return exoError(400, 'BadRequest', 'The request body must contain CmdletInput with a CmdletName.');
    const params = (body?.CmdletInput?.Parameters ?? {}) as Record<string, unknown>;

    const granted = grantedPermissions(claims);
    if (claims.idtyp === 'user' || claims.scp) {
      // Delegated (an admin signed in): the EXO module's delegated permission.
      if (!granted.has('Exchange.Manage')) return unauthorized(`User is not allowed to call ${name}`);
    } else {
      // [I] message: the token lacks the application permission Exchange.ManageAsApp.
      if (!granted.has('Exchange.ManageAsApp')) return unauthorized(`The access token does not contain the role Exchange.ManageAsApp required to call ${name}.`);
      const app = findApp(ctx, claims.appid)?.app;
      if (!app || app.directoryRoles.length === 0) {
        // [O] text of the EXO module's error for an app without a supported Entra role
        // (Microsoft365DSC#4530, maester#718); the HTTP envelope is the admin API's 401 [I].
        return unauthorized(
          `[AuthZRequestId=${newGuid()}][FailureCategory=AuthZ-CmdletAccessDeniedException] The role assigned to application ${claims.appid} isn't supported in this scenario. Please check online documentation for assigning correct Directory Roles to Azure AD Application for EXO App-Only Authentication.`,
        );
      }
    }

    const result = runCmdlet(ctx, name, params);
    if (!result.ok) return result.response;

    const prefer = /odata\.maxpagesize=(\d+)/i.exec(header(req, 'prefer') ?? '');
    const size = prefer ? Math.max(1, Number(prefer[1])) : 1000;
    const p = page(result.rows, req.query, size);
    const select = req.query.get('$select')?.split(',').map((s) => s.trim()).filter(Boolean);
    const out: Record<string, unknown> = {
      '@odata.context': `${req.base}/adminapi/${m[1]}/${m[2]}/$metadata#Collection(Exchange.GenericHashTable)`,
      'adminapi.warnings@odata.type': '#Collection(String)',
      '@adminapi.warnings': [],
      value: p.items.map((r) => project(r, select)),
    };
    if (p.next) out['@odata.nextLink'] = `${req.base}${req.path}?${odataQuery(p.next)}`;
    return json(200, out, { ...(prefer ? { 'preference-applied': `odata.maxpagesize=${size}` } : {}), 'request-id': newGuid(), 'x-cmdletname': name });
  };
  return async (req) => {
    const b = BATCH_ROUTE.exec(req.path);
    if (!b) return invoke(req);
    if (ctx.scenario.exchange.refuseBatch) return exoError(404, 'NotFound', `The resource ${req.path} was not found.`);
    if (req.method !== 'POST') return exoError(405, 'MethodNotAllowed', 'The requested HTTP method is not allowed.');
    const auth = await authenticate(ctx, req, EXCHANGE_AUDIENCE);
    if (!auth.ok) return unauthorized(auth.message);
    return runBatch(ctx, req, invoke);
  };
}
