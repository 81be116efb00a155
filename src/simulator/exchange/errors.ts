import type { SimContext } from '../context.js';
import { json, type SimRequest, type SimResponse } from '../http/types.js';

const ODATA_EXCEPTION = 'Microsoft.Exchange.Admin.OData.Core.ODataServiceException';

/**
 * The admin API's error envelope, [O] from the clients in reference D (ExoHelper Get-ExoException,
 * CIPP New-ExoRequest, office-docs-powershell#7970):
 * `{"error":{"code","message","details":[{"code","target","message":"ExId|ExceptionType|text"}],"innererror":{"message","type"}}}`.
 */
export function exoError(status: number, code: string, message: string, detail?: { id: string; type: string; text: string }, headers: Record<string, string> = {}): SimResponse {
  const error: Record<string, unknown> = { code, message };
  if (detail) error.details = [{ code: 'Client', target: '', message: `${detail.id}|${detail.type}|${detail.text}` }];
  error.innererror = { message, type: ODATA_EXCEPTION };
  return json(status, { error }, { ...(detail ? { 'x-exceptiontype': detail.type.split('.').pop()! } : {}), ...headers });
}

/**
 * `-Identity` that matches nothing: 404 with ManagementObjectNotFoundException in `details`
 * ([O] text and envelope: ExoHelper-era clients and a Go client's recorded 404 body).
 */
export function notFound(identity: string, tenantDomain: string): SimResponse {
  const server = `${tenantDomain.split('.')[0]!.toUpperCase()}01.PROD.OUTLOOK.COM`;
  return exoError(404, 'NotFound', 'Error executing cmdlet', {
    id: 'Ex6F9304',
    type: 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException',
    text: `The operation couldn't be performed because object '${identity}' couldn't be found on '${server}'.`,
  });
}

export function unknownCmdlet(name: string): SimResponse {
  // [I]: what PowerShell says for an unknown command, in the admin API envelope.
  return exoError(400, 'BadRequest', 'Error executing cmdlet', {
    id: 'Ex3C9A1E',
    type: 'System.Management.Automation.CommandNotFoundException',
    text: `The term '${name}' is not recognized as the name of a cmdlet, function, script file, or operable program.`,
  });
}

export function missingParameter(name: string): SimResponse {
  return exoError(400, 'BadRequest', 'Error executing cmdlet', {
    id: 'ExB1F3D2',
    type: 'System.Management.Automation.ParameterBindingException',
    text: `Cannot process command because of one or more missing mandatory parameters: ${name}.`,
  });
}

/**
 * `-Filter` that Exchange cannot parse. The text "Cannot bind parameter 'Filter' to the target.
 * Exception setting "Filter": "…"" is observed ([O]: scripts quoting Exchange's answers, e.g. for
 * an unknown property: ""X" is not a recognized filterable property"); the invalid-syntax wording
 * inside it, the ParameterBindingException type and the 400 status through the admin API are
 * [I], not captured live.
 */
export function invalidFilter(filter: string, position: number): SimResponse {
  return exoError(400, 'BadRequest', 'Error executing cmdlet', {
    id: 'Ex5C8E44',
    type: 'System.Management.Automation.ParameterBindingException',
    text: `Cannot bind parameter 'Filter' to the target. Exception setting "Filter": "Invalid filter syntax. For a description of the filter parameter syntax see the command help. "${filter}" at position ${position + 1}."`,
  });
}

/**
 * 401 for a token Exchange does not accept. Observed ([O], office-docs-powershell#7970):
 * `{"error":{"code":"Unauthorized","message":"User is not allowed to call Get-Mailbox","innererror":{…ODataServiceException}}}`.
 */
export function unauthorized(message: string): SimResponse {
  return exoError(401, 'Unauthorized', message, undefined, {
    'www-authenticate': 'Bearer client_id="00000002-0000-0ff1-ce00-000000000000", trusted_issuers="00000001-0000-0000-c000-000000000000@*", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="invalid_token"',
  });
}

/** Exchange's answer to an injected status fault; 429 carries the tenant-concurrency text clients retry on (reference D2 [O]). */
export function exchangeFaultResponse(_ctx: SimContext) {
  return (status: number, _req: SimRequest): SimResponse => {
    if (status === 429) return exoError(429, 'TooManyRequests', 'You have reached the maximum number of concurrent requests per tenant. Please wait and try again.');
    if (status === 503) return exoError(503, 'ServiceUnavailable', 'The service is currently unavailable. Please try again later.');
    if (status >= 500) return exoError(status, 'InternalServerError', 'An internal server error occurred. Please try again later.');
    return exoError(status, 'BadRequest', 'The request could not be processed.');
  };
}
