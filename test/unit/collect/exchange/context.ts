import pino from 'pino';
import type { RunConfig } from '../../../../src/config/types.js';
import { FactStore } from '../../../../src/core/fact-store.js';
import { createNet } from '../../../../src/net/create-net.js';
import { defaultRunConfig } from '../../../../src/config/defaults.js';

export const TENANT = '0f47778c-61c2-4b0a-8e94-3f05e737a1dd';
export const EXCHANGE = 'https://outlook.example.test';
export const GRAPH = 'https://graph.example.test';

export function config(over: Partial<RunConfig> = {}): RunConfig {
  return defaultRunConfig({
    tenantId: TENANT,
    clientId: '56ba9bac-67be-4bd2-b551-47258e7ead62',
    clientSecret: 'L1e8Q~B5rzySjA6wI3PqgNqZkdVd1zpTJm4Xw7Rk',
    reader: { kind: 'app', clientId: '2c1d0e7a-5b3f-4a8e-9c6d-7e1f2a3b4c5d', clientSecret: 'Rdr8Q~kP2vXw9LmN4bQ7tY1cZ6sH3jF5gD0aE8uI' },
    assets: [{ mailbox: 'john@contoso.com', forwardingAddress: 'a41a0ba3566ed2091155f13e48e6d4f8@mail-us.imiconnect.io' }],
    endpoints: { login: 'https://login.example.test', graph: GRAPH, exchange: EXCHANGE, smtpHost: 'smtp.example.test', smtpPort: 587, imapHost: 'imap.example.test', imapPort: 993 },
    timeoutMs: 30_000,
    checkTimeoutMs: 20_000,
    roundtripTimeoutMs: 60_000,
    ...over,
  });
}

/** A FactStore (the runner's memo) on the production Net (nock answers in unit tests); collectors get a real CollectContext from it. */
export function store(over: Partial<RunConfig> = {}): FactStore {
  const cfg = config(over);
  const net = createNet(cfg, { maxRetries: 2, retryBudgetMs: 1_000 });
  return new FactStore({ config: cfg, net, log: pino({ level: 'silent' }), signal: new AbortController().signal });
}
