import { describe, expect, it } from 'vitest';
import { evaluatePermissions } from '../../../../checks/entra/api-permissions.js';
import { MAIL_SEND, SMTP_SEND, app, err, exchangeSp, ok } from './fixtures.js';

const EXO = '00000002-0000-0ff1-ce00-000000000000';
const GRAPH = '00000003-0000-0000-c000-000000000000';

describe('entra.api-permissions', () => {
  it('passes with Mail.Send (Application) on Exchange Online, listing the delegated ones', () => {
    const o = evaluatePermissions(app(), ok(exchangeSp()));
    expect(o.code).toBeNull();
    expect(o.details).toContain('Mail.Send (Application, Office 365 Exchange Online)');
    expect(o.details).toContain('SMTP.Send: not configured');
    expect(o.details).toContain('User.Read (Delegated, Microsoft Graph)');
  });
  it('PERMISSION_NOT_CONFIGURED naming what is missing', () => {
    const o = evaluatePermissions(app({ requiredResourceAccess: [] }), ok(exchangeSp()));
    expect(o.code).toBe('PERMISSION_NOT_CONFIGURED');
    expect(o.summary).toContain('Mail.Send (Application, Office 365 Exchange Online)');
  });
  it('names Mail.Send added as Delegated, or on Microsoft Graph', () => {
    const delegated = app({ requiredResourceAccess: [{ resourceAppId: EXO, resourceAccess: [{ id: 'scope-mail-send', type: 'Scope' }] }] });
    const sp = exchangeSp();
    sp.oauth2PermissionScopes.push({ id: 'scope-mail-send', value: 'Mail.Send', type: 'User' });
    expect(evaluatePermissions(delegated, ok(sp)).details).toContain('configured as a Delegated permission');
    const onGraph = app({ requiredResourceAccess: [{ resourceAppId: GRAPH, resourceAccess: [{ id: MAIL_SEND, type: 'Role' }] }] });
    const o = evaluatePermissions(onGraph, ok(exchangeSp()));
    expect(o.code).toBe('PERMISSION_NOT_CONFIGURED');
    expect(o.details).toContain('on Microsoft Graph, not on Office 365 Exchange Online');
  });
  it('G6: Mail.Send granted and configured on Microsoft Graph (same role id as Exchange Online\'s) is not Exchange Online\'s', () => {
    const both = app({ requiredResourceAccess: [{ resourceAppId: GRAPH, resourceAccess: [{ id: MAIL_SEND, type: 'Role' }] }] });
    // With and without Exchange's service principal readable.
    for (const exo of [ok(exchangeSp()), err('MISSING_PERMISSION')]) {
      const o = evaluatePermissions(both, exo as never);
      expect(o.code).toBe('PERMISSION_NOT_CONFIGURED');
      expect(o.details).toContain('Mail.Send (Application, Microsoft Graph)');
    }
  });
  it('G6: a delegated permission counts only on its own resource (SMTP.Send on Exchange Online)', () => {
    const wrong = app({ requiredResourceAccess: [{ resourceAppId: GRAPH, resourceAccess: [{ id: SMTP_SEND, type: 'Scope' }] }, { resourceAppId: EXO, resourceAccess: [{ id: MAIL_SEND, type: 'Role' }] }] });
    const sp = exchangeSp();
    expect(evaluatePermissions(wrong, ok(sp)).details).toContain('SMTP.Send: not configured');
  });
  it('resolves role ids by name from appRoles (a tenant id differing from the known one)', () => {
    const sp = exchangeSp();
    sp.appRoles[0]!.id = 'tenant-specific-id';
    const a = app({ requiredResourceAccess: [{ resourceAppId: EXO, resourceAccess: [{ id: 'tenant-specific-id', type: 'Role' }, { id: SMTP_SEND, type: 'Scope' }] }] });
    const o = evaluatePermissions(a, ok(sp));
    expect(o.code).toBeNull();
    expect(o.details).toContain('SMTP.Send: configured');
  });
  it('falls back to known ids when Exchange Online cannot be read, and says so', () => {
    const o = evaluatePermissions(app(), err('MISSING_PERMISSION'));
    expect(o.code).toBeNull();
    expect(o.details).toContain('known ids');
  });
});
