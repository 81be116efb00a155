/** The resolved configuration of one run: flags > env > file > defaults, already validated. */

export const CLOUDS = ['global', 'usgov', 'usgovdod', 'china'] as const;
export type Cloud = (typeof CLOUDS)[number];

export interface Endpoints {
  /** Base URLs, scheme + host[:port], no trailing slash. */
  login: string;
  graph: string;
  exchange: string;
  smtpHost: string;
  smtpPort: number;
  imapHost: string;
  imapPort: number;
}

/** A client credential: exactly one of secret or certificate. */
export interface ClientCredential {
  clientId: string;
  clientSecret?: string;
  /** PEM text of key + certificate, read from the configured file. */
  clientCertificate?: { path: string; pem: string };
}

export interface ReaderIdentity {
  kind: 'app' | 'device-code';
  /** For 'app': the reader app's credential. For 'device-code': an optional public client id. */
  clientId?: string;
  clientSecret?: string;
  clientCertificate?: { path: string; pem: string };
}

/** One Webex Connect email asset: a mailbox and where it forwards to. */
export interface Asset {
  mailbox?: string;
  forwardingAddress?: string;
}

export type FailOn = 'fail' | 'warn';
export type OutputFormat = 'text' | 'json' | 'junit' | 'markdown' | 'html';

export interface RunConfig {
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  clientCertificate?: { path: string; pem: string };
  reader?: ReaderIdentity;
  callbackUrl?: string;
  assets: Asset[];
  cloud: Cloud;
  endpoints: Endpoints;
  /** Which endpoints were overridden (no built-in authority metadata for an overridden login). */
  endpointOverrides: Partial<Record<keyof Endpoints, boolean>>;
  dnsServer?: string;
  /** Extra trusted CAs in PEM (WXMAIL_CA_FILE and NODE_EXTRA_CA_CERTS), added to Node's roots. */
  extraCaPems: string[];
  /** Whole-run deadline in ms. */
  timeoutMs: number;
  /** Per-check timeout in ms. */
  checkTimeoutMs: number;
  failOn: FailOn;
  sendTest: boolean;
  secretWarnDays: number;
  concurrency: number;
  plugins: string[];
  roundtripTimeoutMs: number;
  /** How long the admin's device-code sign-in may take, before the run's own deadline starts. */
  signInTimeoutMs: number;
  /** A delegated access token for the SMTP/IMAP probes (read from --access-token-file). */
  accessToken?: string;
  /** An SMTP submission account of another organisation that sends the round-trip probe from outside (G13). */
  externalSender?: ExternalSender;
  /** Folder of Get-* cmdlet JSON exports, evaluated instead of the live Exchange admin API. */
  exchangeEvidenceDir?: string;
  only: string[];
  skip: string[];
  redactPii: boolean;
}

/**
 * The external sender of the round trip: an account at another provider. It signs in with a
 * password (AUTH LOGIN/PLAIN) or an OAuth token (XOAUTH2); its own inbox, read over IMAP with the
 * same credential, is where bounces of its mail land.
 */
export interface ExternalSender {
  smtpHost: string;
  smtpPort: number;
  /** The account, also the probe's From. */
  user: string;
  password?: string;
  token?: string;
  imapHost?: string;
  imapPort: number;
}
