import { domainToASCII } from 'node:url';
import { z } from 'zod';
import { CLOUDS } from './types.js';

/**
 * One schema for every source of configuration: the config file (camelCase keys), the
 * environment and the flags are all mapped onto this shape, merged (flags > env > file >
 * defaults) and validated here once. An unknown key in a file is an error.
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
// Deliberately simple: the address must be usable in SMTP, not RFC 5322-complete.
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

export const guid = z.string().trim().regex(GUID, 'must be a GUID like 0f47778c-61c2-4b0a-8e94-3f05e737a1dd');
const tenant = z
  .string()
  .trim()
  .refine((v) => GUID.test(v) || DOMAIN.test(v), 'must be the tenant GUID (Directory (tenant) ID) or a domain like contoso.onmicrosoft.com');
/** bücher.de → xn--bcher-kva.de: Exchange and SMTP take the ASCII (punycode) form of a domain. */
function asciiDomain(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 0 || /^[\x20-\x7e]*$/.test(address.slice(at + 1))) return address;
  const ascii = domainToASCII(address.slice(at + 1));
  return ascii ? `${address.slice(0, at)}@${ascii}` : address;
}
const email = z.preprocess(
  (v) => (typeof v === 'string' ? asciiDomain(v.trim()) : v),
  z.string().regex(EMAIL, 'must be an email address like john@contoso.com (a domain with non-ASCII letters in its punycode form, xn--…)'),
);
const httpsUrl = z
  .string()
  .trim()
  .refine((v) => {
    try {
      return new URL(v).protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an https:// URL');
const baseUrl = httpsUrl.refine((v) => {
  const u = new URL(v);
  return (u.pathname === '/' || u.pathname === '') && !u.search && !u.hash;
}, 'must be a base URL (scheme + host[:port]), without a path');
const host = z.string().trim().min(1).regex(/^[a-z0-9.:[\]-]+$/i, 'must be a host name or IP address');
const port = z.coerce.number().int().min(1, 'must be a port 1–65535').max(65535, 'must be a port 1–65535');
const hostPort = z
  .string()
  .trim()
  .regex(/^([a-z0-9.-]+|\[[0-9a-f:]+\])(:\d{1,5})?$/i, 'must be host or host:port, like 127.0.0.1:53')
  // Port 0 makes Node's DNS client abort the process; above 65535 is no port at all.
  .refine((v) => {
    const p = /:(\d+)$/.exec(v.replace(/^\[[^\]]*\]/, ''))?.[1];
    return p === undefined || (Number(p) >= 1 && Number(p) <= 65535);
  }, 'must be a port 1–65535 (host:port, like 127.0.0.1:53)');
const path = z.string().trim().min(1, 'must be a file path');
/** Node's timers hold at most 2^31-1 ms; a longer timer fires at once. */
export const MAX_SECONDS = Math.floor((2 ** 31 - 1) / 1000);
const DURATION = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?\s*$/i;
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, min: 60, h: 3600 };
/** Seconds, or a duration with its unit (`90s`, `5m`, `1h`): what people type. */
const positive = z
  .preprocess((v) => {
    if (typeof v !== 'string') return v;
    const m = DURATION.exec(v);
    return m ? Number(m[1]) * UNIT_SECONDS[(m[2] ?? 's').toLowerCase()]! : v;
  }, z.coerce.number({ message: 'must be a number of seconds (or 90s, 5m, 1h)' }).positive('must be a positive number of seconds').max(MAX_SECONDS, `must be at most ${MAX_SECONDS} seconds (24 days)`));

const credentialFields = {
  clientId: guid.optional(),
  clientSecret: z.string().min(1, 'must not be empty').optional(),
  clientCertificate: path.optional(),
};

export const configSchema = z.strictObject({
  tenantId: tenant.optional(),
  ...credentialFields,
  reader: z.strictObject({ ...credentialFields, deviceCode: z.boolean().optional() }).optional(),
  callbackUrl: httpsUrl.optional(),
  assets: z.array(z.strictObject({ mailbox: email.optional(), forwardingAddress: email.optional() })).optional(),
  cloud: z.enum(CLOUDS, { message: `must be one of ${CLOUDS.join(', ')}` }).optional(),
  endpoints: z
    .strictObject({
      login: baseUrl.optional(),
      graph: baseUrl.optional(),
      exchange: baseUrl.optional(),
      smtpHost: host.optional(),
      smtpPort: port.optional(),
      imapHost: host.optional(),
      imapPort: port.optional(),
    })
    .optional(),
  dnsServer: hostPort.optional(),
  caFile: path.optional(),
  timeout: positive.optional(),
  checkTimeout: positive.optional(),
  roundtripTimeout: positive.optional(),
  signInTimeout: positive.optional(),
  failOn: z.enum(['fail', 'warn'], { message: 'must be fail or warn' }).optional(),
  sendTest: z.boolean().optional(),
  secretWarnDays: z.coerce.number().int().min(0, 'must be a whole number of days ≥ 0').optional(),
  concurrency: z.coerce.number().int().min(1, 'must be 1–64').max(64, 'must be 1–64').optional(),
  plugins: z.array(path).optional(),
  accessTokenFile: path.optional(),
  exchangeEvidence: path.optional(),
  /**
   * An SMTP submission account of another organisation, to send the round-trip probe from outside
   * (G13): customer mail keeps its From, so only mail from outside tests what customers do.
   * Its password or token comes from the environment or a file, never a flag value.
   */
  externalSender: z
    .strictObject({
      smtpHost: host.optional(),
      smtpPort: port.optional(),
      user: email.optional(),
      password: z.string().min(1, 'must not be empty').optional(),
      token: z.string().min(1, 'must not be empty').optional(),
      imapHost: host.optional(),
      imapPort: port.optional(),
    })
    .optional(),
});

export type ConfigInput = z.infer<typeof configSchema>;
