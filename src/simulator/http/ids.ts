import { createHash, randomUUID } from 'node:crypto';

/** A fresh GUID (request ids, trace ids, correlation ids). */
export function newGuid(): string {
  return randomUUID();
}

/**
 * A GUID derived from a name, stable across runs: used for ids Microsoft does not publish (and the
 * simulator must invent), so that two runs of one scenario show the same ids.
 */
export function stableGuid(name: string): string {
  const h = createHash('sha1').update(`wxmail-sim:${name}`).digest('hex');
  // RFC 4122 layout, version 5 (name-based, SHA-1), variant 10xx.
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
