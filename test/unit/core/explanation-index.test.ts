import { describe, expect, it } from 'vitest';
import { builtinChecks } from '../../../checks/index.js';
import { SMTP_REPLY_TABLE } from '../../../src/collect/errors/smtp.js';
import { buildIndex, byStep, knownIdentifiers, lookup, suggest, type Lookup } from '../../../src/core/explanation-index.js';

const index = buildIndex(builtinChecks);
const find = (topic: string) => lookup(topic, builtinChecks, index);
const codeOf = (l: Lookup) => (l.kind === 'entry' ? l.entry.code : l.kind);
const candidatesOf = (l: Lookup) => (l.kind === 'candidates' ? l.candidates.map((c) => c.code) : []);

describe('explanation index: finding an entry by what the user saw', () => {
  it('by AADSTS number, with or without the prefix', () => {
    expect(codeOf(find('AADSTS7000222'))).toBe('SECRET_EXPIRED');
    expect(codeOf(find('7000222'))).toBe('SECRET_EXPIRED');
    expect(codeOf(find('aadsts50011'))).toBe('REDIRECT_URI_MISSING');
    // 7000215 is a wrong secret or a pasted secret ID: the table tells them apart by the secret, so both are candidates.
    expect(candidatesOf(find('AADSTS7000215')).sort()).toEqual(['SECRET_ID_NOT_VALUE', 'SECRET_INVALID']);
  });

  it('an AADSTS number known only generically gets a short entry with Microsoft\'s lookup link', () => {
    // AADSTS90055 (tenant throttling) has no entry of its own: the generic one.
    const l = find('AADSTS90055');
    expect(l.kind).toBe('generic');
    if (l.kind !== 'generic') return;
    expect(l.generic.links).toContain('https://login.microsoftonline.com/error?code=90055');
    expect(l.generic.reportedAs).toBe('TOKEN_FAILED');
  });

  it('by enhanced SMTP status: one table row decides, several rows give candidates', () => {
    expect(codeOf(find('5.7.60'))).toBe('SEND_AS_DENIED');
    const ndr = find('5.7.520');
    expect(codeOf(ndr)).toBe('FORWARDING_NDR');
    expect(ndr.kind === 'entry' && ndr.also.map((e) => e.code)).toContain('AUTOFORWARD_BLOCKED_POLICY');
    const rows = new Set(SMTP_REPLY_TABLE.filter((r) => r.enhanced === '5.7.139').map((r) => r.reason));
    expect(new Set(candidatesOf(find('5.7.139')))).toEqual(rows);
    const generic = find('5.4.1');
    expect(generic.kind).toBe('generic');
  });

  it('a pasted line picks the entry whose recorded Microsoft text fits best', () => {
    expect(codeOf(find('550 5.7.520 Access denied, Your organization does not allow external forwarding'))).toBe('FORWARDING_NDR');
    expect(codeOf(find('535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant'))).toBe('SMTP_AUTH_DISABLED_TENANT');
    expect(codeOf(find('535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox.'))).toBe('SMTP_AUTH_DISABLED_MAILBOX');
    expect(codeOf(find('Need admin approval'))).toBe('USER_CONSENT_DISABLED');
    expect(codeOf(find("AADSTS7000222: The provided client secret keys for app 'x' are expired."))).toBe('SECRET_EXPIRED');
    expect(find('nothing like any entry at all').kind).toBe('none');
  });

  it('exact ids and codes still win; a near miss suggests names (did you mean)', () => {
    expect(find('exchange.smtp-auth').kind).toBe('check');
    expect(codeOf(find('secret_expired'))).toBe('SECRET_EXPIRED');
    const l = find('smtp-auth');
    expect(l.kind).toBe('none');
    expect(l.kind === 'none' && l.suggestions).toContain('exchange.smtp-auth');
    expect(suggest('SECRET_EXPIRD', builtinChecks, index)).toEqual(['SECRET_EXPIRED']);
    expect(suggest('zz', builtinChecks, index)).toEqual([]);
  });

  it('lists every entry once, by step, generic codes last', () => {
    const groups = byStep(index);
    expect(groups.map((g) => g.step)).toEqual([1, 2, 3, 4, null]);
    const codes = groups.flatMap((g) => g.entries.map((e) => e.code));
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toContain('MISSING_PERMISSION');
    expect(knownIdentifiers(index).find((i) => i.id === 'AADSTS7000222')?.codes).toEqual(['SECRET_EXPIRED']);
  });
});
