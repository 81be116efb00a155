import { describe, expect, it } from 'vitest';
import { exchangeChecks } from '../../../../checks/exchange/index.js';
import { exchangeRequires } from '../../../../checks/exchange/lib/common.js';
import type { RunConfig } from '../../../../src/config/types.js';
import { statusOfCode } from '../../../../src/core/codes.js';

describe('exchange check group', () => {
  it('registers the five contract ids of step 3, asset-scoped', () => {
    expect(exchangeChecks.map((c) => c.id)).toEqual(['exchange.smtp-auth', 'exchange.forwarding', 'exchange.outbound-spam-policy', 'exchange.remote-domain', 'exchange.transport-rules']);
    for (const c of exchangeChecks) {
      expect(c.step).toBe(3);
      expect(c.scope).toBe('asset');
      expect(c.permissions?.join()).toContain('Exchange.ManageAsApp');
    }
  });

  it('every explanation is complete, names step 3, and cites learn.microsoft.com; every code has a status', () => {
    for (const c of exchangeChecks) {
      for (const [code, e] of Object.entries(c.explanations)) {
        expect(statusOfCode(code), `${c.id} ${code}`).toBeDefined();
        for (const field of ['title', 'seen', 'cause', 'confirm', 'fix'] as const) expect(e[field], `${c.id} ${code} ${field}`).toBeTruthy();
        expect(e.step, `${c.id} ${code}`).toBe(3);
        expect(e.portal?.length, `${c.id} ${code} portal`).toBeGreaterThan(0);
        for (const link of e.links ?? []) expect(link).toMatch(/^https:\/\/learn\.microsoft\.com\//);
      }
      expect(Object.keys(c.explanations)).toEqual(expect.arrayContaining(['MISSING_PERMISSION', 'MAILBOX_NOT_FOUND']));
    }
    expect(statusOfCode('MAILBOX_NOT_FOUND')).toBe('fail');
  });

  it('requires entra.token only when the Webex identity reads Exchange live', () => {
    expect(exchangeRequires({} as RunConfig)).toEqual(['entra.token']);
    expect(exchangeRequires({ reader: { kind: 'app' } } as RunConfig)).toEqual([]);
    expect(exchangeRequires({ exchangeEvidenceDir: '/tmp/x' } as RunConfig)).toEqual([]);
  });
});
