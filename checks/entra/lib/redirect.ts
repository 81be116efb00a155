/**
 * Near misses between the Call Back URL and registered redirect URIs. Entra matches redirect URIs
 * exactly (reference A3: AADSTS50011), so each difference a human overlooks is named.
 */

export type Platform = 'web' | 'spa' | 'publicClient';

export interface NearMiss {
  uri: string;
  platform: Platform;
  /** What differs, in plain words, e.g. ["trailing slash", "http instead of https"]. */
  differences: string[];
}

const WEBEX_HOST = /(?:^|\.)(?:webexconnect\.io|imiconnect\.io)$/i;

interface Parts {
  scheme: string;
  host: string;
  path: string;
  rest: string;
}

function parts(u: string): Parts | null {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(.*)$/i.exec(u.trim());
  if (!m) return null;
  return { scheme: m[1]!, host: m[2]!, path: m[3]!, rest: m[4]! };
}

/** The differences between a registered URI and the callback, or null when they are unrelated. */
export function differences(registered: string, callback: string): string[] | null {
  const a = parts(registered);
  const b = parts(callback);
  if (!a || !b) return null;
  const out: string[] = [];
  if (a.scheme.toLowerCase() !== b.scheme.toLowerCase()) {
    out.push(`${a.scheme.toLowerCase()} instead of ${b.scheme.toLowerCase()}`);
  } else if (a.scheme !== b.scheme) {
    out.push('letter case of the scheme');
  }
  const hostA = a.host.toLowerCase();
  const hostB = b.host.toLowerCase();
  let related = hostA === hostB;
  if (hostA !== hostB) {
    if (WEBEX_HOST.test(hostA.split(':')[0]!) && WEBEX_HOST.test(hostB.split(':')[0]!)) {
      out.push(`another tenant or region host (${a.host} instead of ${b.host})`);
      related = true;
    }
  } else if (a.host !== b.host) {
    out.push('letter case of the host');
  }
  const trimA = a.path.replace(/\/+$/, '');
  const trimB = b.path.replace(/\/+$/, '');
  if (a.path !== b.path) {
    if (trimA === trimB) out.push(a.path.length > b.path.length ? 'trailing slash added' : 'trailing slash missing');
    else if (trimA.toLowerCase() === trimB.toLowerCase()) out.push(`letter case of the path (${a.path} instead of ${b.path})`);
    else if (a.path.toLowerCase().replace(/\/+$/, '') === b.path.toLowerCase().replace(/\/+$/, '')) out.push('letter case of the path and a trailing slash');
    else if (related) out.push(`another path (${a.path || '/'} instead of ${b.path || '/'})`);
    else return null;
  }
  if (a.rest !== b.rest) out.push(a.rest ? `extra query or fragment (${a.rest})` : `query or fragment missing (${b.rest})`);
  if (!related) return null;
  return out;
}

/** Registered URIs that are almost the callback, on any platform. */
export function nearMisses(callback: string, byPlatform: Record<Platform, string[]>): NearMiss[] {
  const out: NearMiss[] = [];
  for (const platform of ['web', 'spa', 'publicClient'] as const) {
    for (const uri of byPlatform[platform]) {
      if (uri === callback) continue;
      const d = differences(uri, callback);
      if (d && d.length > 0) out.push({ uri, platform, differences: d });
    }
  }
  return out;
}

export const PLATFORM_NAME: Record<Platform, string> = {
  web: 'Web',
  spa: 'Single-page application',
  publicClient: 'Mobile and desktop applications',
};
