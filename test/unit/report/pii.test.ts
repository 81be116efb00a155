import { describe, expect, it } from 'vitest';
import { redactPii, redactPiiIn } from '../../../src/report/pii.js';
import { render } from '../../../src/report/render.js';
import { validateReport } from '../../../src/report/schema.js';
import { FORWARDING, MAILBOX, TENANT_ID, makeModel } from './fixture.js';

function piiModel() {
  const model = makeModel();
  model.checks[1]!.details += `\n\nSecond mailbox: ops@fabrikam.com; again ${MAILBOX.toUpperCase()}.`;
  model.checks[3]!.evidence = {
    tid: TENANT_ID,
    owners: [{ upn: 'admin@contoso.onmicrosoft.com' }],
    url: `https://graph.microsoft.com/v1.0/users/${encodeURIComponent(MAILBOX)}`,
    [MAILBOX]: 'keyed by address',
  };
  model.checks[5]!.remediation!.text = `Run it for ${MAILBOX} in tenant contoso.onmicrosoft.com (${TENANT_ID}); mail.contoso.com is the MX.`;
  return model;
}

describe('redactPii', () => {
  const model = piiModel();
  const masked = redactPii(model);
  const json = JSON.stringify(masked);

  it('leaves no original address, tenant id or tenant domain anywhere', () => {
    for (const original of [MAILBOX, FORWARDING, 'ops@fabrikam.com', 'admin@contoso.onmicrosoft.com', TENANT_ID, 'contoso.com', 'contoso.onmicrosoft.com', 'fabrikam.com', 'john.doe']) {
      expect(json.toLowerCase()).not.toContain(original.toLowerCase());
    }
    expect(json).not.toContain(encodeURIComponent(MAILBOX));
  });

  it('gives the same value the same mask everywhere, whatever its case or encoding', () => {
    const mailboxMask = masked.checks[1]!.asset!;
    expect(mailboxMask).toMatch(/^user-\d+@domain-\d+\.example$/);
    for (const check of masked.checks.filter((c) => c.asset)) expect(check.asset).toBe(mailboxMask);
    expect(masked.checks[5]!.summary).toBe(`Authenticated SMTP is off for ${mailboxMask}.`);
    expect(masked.checks[1]!.details).toContain(`again ${mailboxMask}.`);
    expect(masked.checks[5]!.remediation!.commands[0]).toBe(`Set-CASMailbox -Identity ${mailboxMask} -SmtpClientAuthenticationDisabled $false`);
    expect(masked.checks[3]!.evidence.url).toBe(`https://graph.microsoft.com/v1.0/users/${mailboxMask.replace('@', '%40')}`);
    expect(masked.checks[3]!.evidence[mailboxMask]).toBe('keyed by address');
  });

  it('gives different values different masks, and keeps an address\'s domain consistent with the bare domain', () => {
    const text = masked.checks[1]!.details;
    const forwarding = /forwarding address (\S+) is/.exec(masked.checks[1]!.summary)![1]!;
    const ops = /Second mailbox: (\S+);/.exec(text)![1]!;
    expect(new Set([masked.checks[1]!.asset, forwarding, ops]).size).toBe(3);
    const mailboxDomain = masked.checks[1]!.asset!.split('@')[1]!;
    expect(ops.split('@')[1]).not.toBe(mailboxDomain);
    expect(masked.checks[5]!.remediation!.text).toContain(`mail.${mailboxDomain} is the MX`);
  });

  it('masks the tenant id as tenant-N in the target and wherever it appears', () => {
    expect(masked.target.tenantId).toBe('tenant-1');
    expect(masked.checks[3]!.evidence.tid).toBe('tenant-1');
    expect(masked.checks[5]!.remediation!.text).toContain('(tenant-1)');
    expect(masked.checks[5]!.remediation!.text).toMatch(/in tenant domain-\d+\.example \(/);
  });

  it('masks a tenant given as a domain like the domain it is', () => {
    const m = makeModel();
    m.target.tenantId = 'contoso.onmicrosoft.com';
    m.checks[0]!.summary = 'Tenant contoso.onmicrosoft.com answers.';
    const out = redactPii(m);
    expect(out.target.tenantId).toMatch(/^domain-\d+\.example$/);
    expect(out.checks[0]!.summary).toBe(`Tenant ${out.target.tenantId} answers.`);
  });

  it('keeps what is not personal: client id, request ids, Microsoft hosts, structure', () => {
    expect(masked.target.clientId).toBe(model.target.clientId);
    expect(masked.checks[3]!.requestIds).toEqual(model.checks[3]!.requestIds);
    expect(masked.checks[3]!.evidence.url).toMatch(/^https:\/\/graph\.microsoft\.com\/v1\.0\/users\//);
    expect(masked.checks.map((c) => [c.id, c.status, c.code])).toEqual(model.checks.map((c) => [c.id, c.status, c.code]));
    expect(validateReport(masked)).toEqual({ ok: true });
  });

  it('does not modify its input, and is stable: masking twice gives the same masks', () => {
    expect(model).toEqual(piiModel());
    expect(redactPii(piiModel())).toEqual(masked);
  });

  it('leaves no original address in any rendered format', () => {
    for (const format of ['text', 'json', 'junit', 'markdown', 'html'] as const) {
      const out = render(masked, format, { color: false }).toLowerCase();
      for (const original of [MAILBOX, FORWARDING, TENANT_ID, 'contoso.com']) expect(out, format).not.toContain(original.toLowerCase());
    }
  });

  it('keeps public, non-personal domains readable: the Webex Connect forwarding domain and Microsoft hosts (the address\'s local part is still masked)', () => {
    const m = makeModel();
    m.checks[0]!.summary = `Forwards to a1b2c3@mail-us.imiconnect.io; callback on eu.webexconnect.io; tokens from login.microsoftonline.com; ${MAILBOX}.`;
    const out = redactPii(m).checks[0]!.summary;
    expect(out).toMatch(/^Forwards to user-\d+@mail-us\.imiconnect\.io; callback on eu\.webexconnect\.io; tokens from login\.microsoftonline\.com; user-\d+@domain-\d+\.example\.$/);
    expect(out).not.toContain('a1b2c3');
  });

  it('masks any JSON-like value the same way (a snapshot: config and facts together)', () => {
    const snapshot = { config: { tenantId: TENANT_ID, assets: [{ mailbox: MAILBOX }] }, facts: { [`mailbox|${MAILBOX}|`]: { ok: true, value: { tid: TENANT_ID, upn: MAILBOX.toUpperCase() } } } };
    const out = redactPiiIn(snapshot, TENANT_ID);
    expect(out.config).toEqual({ tenantId: 'tenant-1', assets: [{ mailbox: 'user-1@domain-1.example' }] });
    expect(Object.keys(out.facts)).toEqual(['mailbox|user-1@domain-1.example|']);
    expect(JSON.stringify(out)).not.toMatch(new RegExp(`${TENANT_ID}|john`, 'i'));
  });
});
