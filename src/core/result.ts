import type { Code, Status } from './codes.js';

/** How to fix a finding: rendered by every report format from one explanation entry. */
export interface Remediation {
  text: string;
  portal: string[];
  commands: string[];
  links: string[];
}

/** One check's result for one asset (or the tenant): the unit of every report. */
export interface CheckResult {
  id: string;
  asset: string | null;
  title: string;
  step: number;
  status: Status;
  code: Code | null;
  summary: string;
  details: string;
  durationMs: number;
  remediation: Remediation | null;
  evidence: Record<string, unknown>;
  requestIds: string[];
}

export type Summary = Record<Status, number>;

export interface ReportModel {
  schemaVersion: 1;
  tool: { name: 'wxmail'; version: string };
  startedAt: string;
  durationMs: number;
  status: Exclude<Status, 'skip'>;
  summary: Summary;
  target: { tenantId: string | null; clientId: string | null; cloud: string };
  environment: { node: string; os: string; readerIdentity: 'webex' | 'app' | 'device-code' };
  checks: CheckResult[];
  /** Present when the facts come from a snapshot (`--from-snapshot`): when, where and by what they were collected. */
  source?: FactSource;
}

export interface FactSource {
  kind: 'snapshot';
  /** ISO time the facts were collected; null for a snapshot of a wxmail that did not record it. */
  collectedAt: string | null;
  tenantId: string | null;
  cloud: string;
  /** `wxmail 0.1.0`: the version that collected them; null when the snapshot does not say. */
  collectedWith: string | null;
  /** Written with --redact-pii: the names in it are masks. */
  redacted: boolean;
}
