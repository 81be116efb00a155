import type { Code } from './codes.js';

/**
 * Why a fact could not be collected. A collector throws this; the runner turns it into the
 * result of every check that needed the fact (status follows from the code: MISSING_PERMISSION →
 * skip, NETWORK/TIMEOUT/THROTTLED/UNEXPECTED_RESPONSE → error, …). A check never sees HTTP.
 */
export interface FactErrorInit {
  /** Markdown with what exactly went wrong and what to do. */
  details?: string;
  evidence?: Record<string, unknown>;
  requestIds?: string[];
  /** For MISSING_PERMISSION: the permission and which identity lacks it. */
  permission?: { name: string; identity: string; api?: string };
}

export class FactError extends Error {
  readonly code: Code;
  readonly details: string;
  readonly evidence: Record<string, unknown>;
  readonly requestIds: string[];
  readonly permission?: FactErrorInit['permission'];

  constructor(code: Code, summary: string, init: FactErrorInit = {}) {
    super(summary);
    this.name = 'FactError';
    this.code = code;
    this.details = init.details ?? '';
    this.evidence = init.evidence ?? {};
    this.requestIds = init.requestIds ?? [];
    if (init.permission) this.permission = init.permission;
  }

  toJSON(): SerializedFactError {
    return {
      code: this.code,
      summary: this.message,
      details: this.details,
      evidence: this.evidence,
      requestIds: this.requestIds,
      ...(this.permission ? { permission: this.permission } : {}),
    };
  }

  static fromJSON(s: SerializedFactError): FactError {
    return new FactError(s.code, s.summary, s);
  }
}

export interface SerializedFactError {
  code: Code;
  summary: string;
  details: string;
  evidence: Record<string, unknown>;
  requestIds: string[];
  permission?: FactErrorInit['permission'];
}
