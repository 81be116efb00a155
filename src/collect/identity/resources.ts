import { CLOUD_DEFINITIONS } from '../../config/clouds.js';
import type { Cloud } from '../../config/types.js';

export type Resource = 'graph' | 'exchange';

/**
 * Resource App ID URI per cloud: the cloud's `.default` scope without `/.default` (one table:
 * src/config/clouds.ts, with its [O]/[I] marks, G24). A token is requested for `${uri}/.default`,
 * one resource per request (reference A1: "Including scopes for multiple resources will result in
 * an error"). The scope names the *resource*, not the endpoint the request goes to, so an
 * overridden endpoint (the simulator) keeps the cloud's resource URI.
 */
export function resourceUri(cloud: Cloud, resource: Resource): string {
  const d = CLOUD_DEFINITIONS[cloud];
  return (resource === 'graph' ? d.graphScope : d.exchangeScope).replace(/\/\.default$/, '');
}

/** The client-credentials scope: every application permission consented for the resource. */
export function defaultScope(cloud: Cloud, resource: Resource): string {
  return `${resourceUri(cloud, resource)}/.default`;
}

/** A human name for messages. */
export function resourceName(resource: Resource): string {
  return resource === 'graph' ? 'Microsoft Graph' : 'Office 365 Exchange Online';
}
