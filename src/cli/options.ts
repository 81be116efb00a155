import type { Options } from 'yargs';
import { CLOUDS } from '../config/types.js';
import { LOG_LEVELS } from '../core/log-levels.js';

const CFG = 'Configuration (flags > WXMAIL_* env > --config file > defaults):';
const RUN = 'Run options:';
const OUT = 'Output:';

/** Flags of DESIGN.md's configuration table, shared by `doctor` and `checks`. */
export const configOptions: Record<string, Options> = {
  config: { type: 'string', group: CFG, describe: 'YAML or JSON config file (camelCase keys)' },
  'tenant-id': { type: 'string', group: CFG, describe: 'Tenant GUID or domain [WXMAIL_TENANT_ID]' },
  'client-id': { type: 'string', group: CFG, describe: 'Application (client) ID of the Webex app [WXMAIL_CLIENT_ID]' },
  'client-secret-file': { type: 'string', group: CFG, describe: 'File holding the client secret value (- = stdin) [WXMAIL_CLIENT_SECRET]' },
  'client-secret': { type: 'string', group: CFG, describe: 'Client secret value (warns: shell history, process list)' },
  'client-certificate': { type: 'string', group: CFG, describe: 'PEM file with key + certificate, instead of a secret [WXMAIL_CLIENT_CERTIFICATE]' },
  'reader-client-id': { type: 'string', group: CFG, describe: 'Optional reader app for Graph/Exchange reads [WXMAIL_READER_CLIENT_ID]' },
  'reader-client-secret-file': { type: 'string', group: CFG, describe: 'Reader app secret file (- = stdin) [WXMAIL_READER_CLIENT_SECRET]' },
  'reader-client-secret': { type: 'string', group: CFG, describe: 'Reader app secret value (warns)' },
  'reader-client-certificate': { type: 'string', group: CFG, describe: 'Reader app PEM (key + certificate) [WXMAIL_READER_CLIENT_CERTIFICATE]' },
  'sign-in': { type: 'boolean', group: CFG, describe: 'Reader = an admin signing in with a device code' },
  'callback-url': { type: 'string', group: CFG, describe: 'Webex Connect "Call Back URL" [WXMAIL_CALLBACK_URL]' },
  mailbox: { type: 'string', group: CFG, describe: 'Mailbox user (Email ID of the asset) [WXMAIL_MAILBOX]' },
  'forwarding-address': { type: 'string', group: CFG, describe: 'Webex Connect "Forwarding Address" [WXMAIL_FORWARDING_ADDRESS]' },
  cloud: { type: 'string', choices: [...CLOUDS], group: CFG, describe: 'Microsoft cloud [WXMAIL_CLOUD]' },
  'login-url': { type: 'string', group: CFG, describe: 'Login base URL override [WXMAIL_LOGIN_URL]' },
  'graph-url': { type: 'string', group: CFG, describe: 'Graph base URL override [WXMAIL_GRAPH_URL]' },
  'exchange-url': { type: 'string', group: CFG, describe: 'Exchange base URL override [WXMAIL_EXCHANGE_URL]' },
  'smtp-host': { type: 'string', group: CFG, describe: '[WXMAIL_SMTP_HOST]' },
  'smtp-port': { type: 'string', group: CFG, describe: '[WXMAIL_SMTP_PORT]' },
  'imap-host': { type: 'string', group: CFG, describe: '[WXMAIL_IMAP_HOST]' },
  'imap-port': { type: 'string', group: CFG, describe: '[WXMAIL_IMAP_PORT]' },
  'dns-server': { type: 'string', group: CFG, describe: 'host:port of the DNS server to ask [WXMAIL_DNS_SERVER]' },
  'ca-file': { type: 'string', group: CFG, describe: 'Extra trusted CA (PEM), added to the public roots [WXMAIL_CA_FILE]' },
  timeout: { type: 'string', group: RUN, describe: 'Deadline of the whole run, seconds or 90s, 5m, 1h (default 60)' },
  'check-timeout': { type: 'string', group: RUN, describe: 'Timeout of one check, seconds or 30s, 1m (default 20)' },
  'fail-on': { type: 'string', choices: ['fail', 'warn'], group: RUN, describe: 'Exit 1 on failures only (default) or on warnings too' },
  'send-test': { type: 'boolean', group: RUN, describe: 'Run the probes that send a real message (smtp.send, mailflow.roundtrip)' },
  'sign-in-timeout': { type: 'string', group: RUN, describe: 'How long --sign-in waits for the admin, seconds (default 300); not counted in --timeout' },
  'roundtrip-timeout': { type: 'string', group: RUN, describe: 'How long the round trip waits for mail, seconds (default 120)' },
  'access-token-file': { type: 'string', group: RUN, describe: 'A delegated access token for the SMTP/IMAP probes' },
  'exchange-evidence': { type: 'string', group: RUN, describe: 'Folder of Get-* cmdlet JSON exports (see `wxmail evidence-script`)' },
  'external-sender-smtp-host': { type: 'string', group: RUN, describe: 'Round trip from outside: SMTP host of an account at another provider [WXMAIL_EXTERNAL_SENDER_SMTP_HOST]' },
  'external-sender-smtp-port': { type: 'string', group: RUN, describe: 'Its SMTP submission port (default 587, STARTTLS; 465: implicit TLS) [WXMAIL_EXTERNAL_SENDER_SMTP_PORT]' },
  'external-sender-user': { type: 'string', group: RUN, describe: 'The account (its address is the probe\'s From) [WXMAIL_EXTERNAL_SENDER_USER]' },
  'external-sender-password-file': { type: 'string', group: RUN, describe: 'File holding its password (- = stdin) [WXMAIL_EXTERNAL_SENDER_PASSWORD]' },
  'external-sender-token-file': { type: 'string', group: RUN, describe: 'File holding its OAuth token, instead of a password [WXMAIL_EXTERNAL_SENDER_TOKEN]' },
  'external-sender-imap-host': { type: 'string', group: RUN, describe: 'Its IMAP host, to read bounces of the probe (recommended) [WXMAIL_EXTERNAL_SENDER_IMAP_HOST]' },
  'external-sender-imap-port': { type: 'string', group: RUN, describe: 'Its IMAP port (default 993) [WXMAIL_EXTERNAL_SENDER_IMAP_PORT]' },
  'secret-warn-days': { type: 'string', group: RUN, describe: 'Warn when the secret expires within N days (default 30)' },
  concurrency: { type: 'string', group: RUN, describe: 'Checks running at once (default 16)' },
  plugin: { type: 'string', array: true, group: RUN, describe: 'Load a third-party check file (repeatable)' },
  only: { type: 'string', array: true, group: RUN, describe: "Run only these checks: id, group or glob ('entra.*')" },
  skip: { type: 'string', array: true, group: RUN, describe: 'Leave these checks out' },
};

export const outputOptions: Record<string, Options> = {
  format: { type: 'string', choices: ['text', 'json', 'junit', 'markdown', 'html'], default: 'text', group: OUT, describe: 'Report format' },
  output: { alias: 'o', type: 'string', group: OUT, describe: 'Write the report to a file instead of stdout' },
  'redact-pii': { type: 'boolean', group: OUT, describe: 'Mask mailbox/forwarding addresses and tenant ids (consistently)' },
  verbose: { type: 'boolean', group: OUT, describe: 'Text format: show evidence, request ids and full explanations' },
  'log-level': { type: 'string', choices: [...LOG_LEVELS], default: 'warn', group: OUT, describe: 'Log level (logs go to stderr, secrets redacted)' },
};
