import type { Scenario } from './scenario/schema.js';
import type { TokenAuthority } from './tokens.js';

/**
 * What every part of a running simulator shares: the tenant state, its clock, TLS material, the
 * token authority, fault injection and the mail store. Built once by startSimulator().
 */
export interface SimContext {
  scenario: Scenario;
  /** The simulator's clock: real time plus the scenario's clockSkewSeconds. */
  now(): Date;
  /** Resolves a scenario date ('+30d', '-1d', ISO) against the simulator's start. */
  when(value: string): Date;
  tls: {
    /** PEM of the self-signed certificate (SAN 127.0.0.1, localhost); it is also the trust anchor. */
    cert: string;
    key: string;
  };
  tokens: TokenAuthority;
  faults: FaultInjector;
  mail: MailStore;
  /** Generated certificate credentials: app key → credential key → PEM (private key + certificate). */
  certificates: Map<string, Map<string, { pem: string; certPem: string; thumbprintSha1: string }>>;
  /** Every request/command served, for tests that count round trips. */
  traffic: TrafficLog;
}

export interface FaultInjector {
  /**
   * The fault that applies to this request, if any (consumes one from its count). `pathOnly`:
   * only faults aimed at a path (a request inside a `$batch` is not a network round trip).
   */
  take(service: 'login' | 'graph' | 'exchange' | 'smtp' | 'imap', path: string, opts?: { pathOnly?: boolean }): import('./scenario/schema.js').Fault | undefined;
}

export interface TrafficLog {
  record(service: string, what: string): void;
  entries(): { service: string; what: string; at: number }[];
}

/** A message in the simulated Exchange Online. */
export interface StoredMessage {
  uid: number;
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  date: Date;
  /** Full RFC 5322 source. */
  raw: string;
  flags: string[];
}

/** Where mail ends up: mailboxes of the tenant's users, and what left the tenant. */
export interface MailStore {
  /** Messages in a user's inbox (by mailbox address, case-insensitive). */
  inbox(address: string): StoredMessage[];
  deliver(address: string, msg: Omit<StoredMessage, 'uid' | 'flags'>): StoredMessage;
  /** Mail forwarded out of the tenant (to Webex Connect), as the outside world would see it. */
  external(): { to: string; messageId: string; at: Date }[];
  recordExternal(to: string, messageId: string): void;
}
