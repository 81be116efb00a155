import type { ConfigInput } from './schema.js';

/** Flags as yargs parsed them (kebab-case keys camelised by yargs). */
export interface ConfigFlags {
  config?: string;
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  clientSecretFile?: string;
  clientCertificate?: string;
  readerClientId?: string;
  readerClientSecret?: string;
  readerClientSecretFile?: string;
  readerClientCertificate?: string;
  signIn?: boolean;
  callbackUrl?: string;
  mailbox?: string;
  forwardingAddress?: string;
  cloud?: string;
  loginUrl?: string;
  graphUrl?: string;
  exchangeUrl?: string;
  smtpHost?: string;
  smtpPort?: string | number;
  imapHost?: string;
  imapPort?: string | number;
  dnsServer?: string;
  caFile?: string;
  timeout?: string | number;
  checkTimeout?: string | number;
  roundtripTimeout?: string | number;
  signInTimeout?: string | number;
  failOn?: string;
  sendTest?: boolean;
  secretWarnDays?: string | number;
  concurrency?: string | number;
  plugin?: string[];
  accessTokenFile?: string;
  exchangeEvidence?: string;
  externalSenderSmtpHost?: string;
  externalSenderSmtpPort?: string | number;
  externalSenderUser?: string;
  externalSenderImapHost?: string;
  externalSenderImapPort?: string | number;
  externalSenderPasswordFile?: string;
  externalSenderTokenFile?: string;
}

/** A partial config plus where each top-level key came from, for error messages. */
export interface Layer {
  values: Partial<ConfigInput> & { asset?: { mailbox?: string; forwardingAddress?: string } };
  source: Record<string, string>;
}

const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export function envLayer(env: NodeJS.ProcessEnv): Layer {
  const e = (k: string) => (env[k] === undefined || env[k] === '' ? undefined : env[k]);
  const reader = defined({
    clientId: e('WXMAIL_READER_CLIENT_ID'),
    clientSecret: e('WXMAIL_READER_CLIENT_SECRET'),
    clientCertificate: e('WXMAIL_READER_CLIENT_CERTIFICATE'),
  });
  const endpoints = defined({
    login: e('WXMAIL_LOGIN_URL'),
    graph: e('WXMAIL_GRAPH_URL'),
    exchange: e('WXMAIL_EXCHANGE_URL'),
    smtpHost: e('WXMAIL_SMTP_HOST'),
    smtpPort: e('WXMAIL_SMTP_PORT') as unknown as number | undefined,
    imapHost: e('WXMAIL_IMAP_HOST'),
    imapPort: e('WXMAIL_IMAP_PORT') as unknown as number | undefined,
  });
  const asset = defined({ mailbox: e('WXMAIL_MAILBOX'), forwardingAddress: e('WXMAIL_FORWARDING_ADDRESS') });
  const externalSender = defined({
    smtpHost: e('WXMAIL_EXTERNAL_SENDER_SMTP_HOST'),
    smtpPort: e('WXMAIL_EXTERNAL_SENDER_SMTP_PORT') as unknown as number | undefined,
    user: e('WXMAIL_EXTERNAL_SENDER_USER'),
    password: e('WXMAIL_EXTERNAL_SENDER_PASSWORD'),
    token: e('WXMAIL_EXTERNAL_SENDER_TOKEN'),
    imapHost: e('WXMAIL_EXTERNAL_SENDER_IMAP_HOST'),
    imapPort: e('WXMAIL_EXTERNAL_SENDER_IMAP_PORT') as unknown as number | undefined,
  });
  const values = defined({
    ...(Object.keys(externalSender).length ? { externalSender } : {}),
    tenantId: e('WXMAIL_TENANT_ID'),
    clientId: e('WXMAIL_CLIENT_ID'),
    clientSecret: e('WXMAIL_CLIENT_SECRET'),
    clientCertificate: e('WXMAIL_CLIENT_CERTIFICATE'),
    callbackUrl: e('WXMAIL_CALLBACK_URL'),
    cloud: e('WXMAIL_CLOUD') as ConfigInput['cloud'],
    dnsServer: e('WXMAIL_DNS_SERVER'),
    caFile: e('WXMAIL_CA_FILE'),
    ...(Object.keys(reader).length ? { reader } : {}),
    ...(Object.keys(endpoints).length ? { endpoints } : {}),
    ...(Object.keys(asset).length ? { asset } : {}),
  });
  const names: Record<string, string> = {
    tenantId: 'WXMAIL_TENANT_ID', clientId: 'WXMAIL_CLIENT_ID', clientSecret: 'WXMAIL_CLIENT_SECRET',
    clientCertificate: 'WXMAIL_CLIENT_CERTIFICATE', callbackUrl: 'WXMAIL_CALLBACK_URL', cloud: 'WXMAIL_CLOUD',
    dnsServer: 'WXMAIL_DNS_SERVER', caFile: 'WXMAIL_CA_FILE', reader: 'WXMAIL_READER_*', endpoints: 'WXMAIL_*_URL/HOST/PORT',
    asset: 'WXMAIL_MAILBOX / WXMAIL_FORWARDING_ADDRESS', externalSender: 'WXMAIL_EXTERNAL_SENDER_*',
  };
  return { values, source: Object.fromEntries(Object.keys(values).map((k) => [k, names[k] ?? 'environment'])) };
}

/** Secrets read from files/stdin have already been put into `secrets` by the caller. */
export function flagLayer(f: ConfigFlags, secrets: { clientSecret?: string; readerClientSecret?: string; externalSenderPassword?: string; externalSenderToken?: string }): Layer {
  const reader = defined({
    clientId: f.readerClientId,
    clientSecret: secrets.readerClientSecret,
    clientCertificate: f.readerClientCertificate,
    deviceCode: f.signIn ? true : undefined,
  });
  const endpoints = defined({
    login: f.loginUrl,
    graph: f.graphUrl,
    exchange: f.exchangeUrl,
    smtpHost: f.smtpHost,
    smtpPort: f.smtpPort as number | undefined,
    imapHost: f.imapHost,
    imapPort: f.imapPort as number | undefined,
  });
  const asset = defined({ mailbox: f.mailbox, forwardingAddress: f.forwardingAddress });
  const externalSender = defined({
    smtpHost: f.externalSenderSmtpHost,
    smtpPort: f.externalSenderSmtpPort as number | undefined,
    user: f.externalSenderUser,
    password: secrets.externalSenderPassword,
    token: secrets.externalSenderToken,
    imapHost: f.externalSenderImapHost,
    imapPort: f.externalSenderImapPort as number | undefined,
  });
  const values = defined({
    ...(Object.keys(externalSender).length ? { externalSender } : {}),
    tenantId: f.tenantId,
    clientId: f.clientId,
    clientSecret: secrets.clientSecret,
    clientCertificate: f.clientCertificate,
    callbackUrl: f.callbackUrl,
    cloud: f.cloud as ConfigInput['cloud'],
    dnsServer: f.dnsServer,
    caFile: f.caFile,
    timeout: f.timeout as number | undefined,
    checkTimeout: f.checkTimeout as number | undefined,
    roundtripTimeout: f.roundtripTimeout as number | undefined,
    signInTimeout: f.signInTimeout as number | undefined,
    failOn: f.failOn as ConfigInput['failOn'],
    sendTest: f.sendTest || undefined,
    secretWarnDays: f.secretWarnDays as number | undefined,
    concurrency: f.concurrency as number | undefined,
    plugins: f.plugin && f.plugin.length ? f.plugin : undefined,
    accessTokenFile: f.accessTokenFile,
    exchangeEvidence: f.exchangeEvidence,
    ...(Object.keys(reader).length ? { reader } : {}),
    ...(Object.keys(endpoints).length ? { endpoints } : {}),
    ...(Object.keys(asset).length ? { asset } : {}),
  });
  const kebab = (k: string) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  const special: Record<string, string> = { clientSecret: '--client-secret(-file)', plugins: '--plugin', reader: '--reader-* / --sign-in', endpoints: '--*-url / --smtp-* / --imap-*', asset: '--mailbox / --forwarding-address', externalSender: '--external-sender-*' };
  return { values, source: Object.fromEntries(Object.keys(values).map((k) => [k, special[k] ?? kebab(k)])) };
}
