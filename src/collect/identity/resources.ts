import type { Cloud } from '../../config/types.js';

export type Resource = 'graph' | 'exchange';

/**
 * Resource App ID URIs per cloud. A token is requested for `${uri}/.default`, one resource per
 * request (reference A1: "Including scopes for multiple resources will result in an error").
 * The scope names the *resource*, not the endpoint the request goes to, so an overridden
 * endpoint (the simulator) keeps the cloud's resource URI.
 * Sources: reference A4 (Graph hosts [V], Exchange hosts [V] for global; the sovereign Exchange
 * resource URIs follow the hosts of the ConnectionUri column, [I]).
 */
const RESOURCE_URIS: Record<Cloud, Record<Resource, string>> = {
  global: { graph: 'https://graph.microsoft.com', exchange: 'https://outlook.office365.com' },
  usgov: { graph: 'https://graph.microsoft.us', exchange: 'https://outlook.office365.us' },
  usgovdod: { graph: 'https://dod-graph.microsoft.us', exchange: 'https://webmail.apps.mil' },
  china: { graph: 'https://microsoftgraph.chinacloudapi.cn', exchange: 'https://partner.outlook.cn' },
};

export function resourceUri(cloud: Cloud, resource: Resource): string {
  return RESOURCE_URIS[cloud][resource];
}

/** The client-credentials scope: every application permission consented for the resource. */
export function defaultScope(cloud: Cloud, resource: Resource): string {
  return `${resourceUri(cloud, resource)}/.default`;
}

/** A human name for messages. */
export function resourceName(resource: Resource): string {
  return resource === 'graph' ? 'Microsoft Graph' : 'Office 365 Exchange Online';
}
