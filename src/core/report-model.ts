import { arch, platform, release } from 'node:os';
import type { RunConfig } from '../config/types.js';
import { overallStatus, summarize } from './overall.js';
import type { CheckResult, ReportModel } from './result.js';
import { VERSION } from './version.js';

export function buildReport(config: RunConfig, results: CheckResult[], startedAt: Date, durationMs: number): ReportModel {
  return {
    schemaVersion: 1,
    tool: { name: 'wxmail', version: VERSION },
    startedAt: startedAt.toISOString(),
    durationMs,
    status: overallStatus(results, config.failOn),
    summary: summarize(results),
    target: { tenantId: config.tenantId ?? null, clientId: config.clientId ?? null, cloud: config.cloud },
    environment: {
      node: process.version,
      os: `${platform()} ${release()} ${arch()}`,
      readerIdentity: config.reader?.kind === 'app' ? 'app' : config.reader?.kind === 'device-code' ? 'device-code' : 'webex',
    },
    checks: results,
  };
}
