import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor, redactor } from '../../../src/core/redact.js';
import { render } from '../../../src/report/render.js';
import { makeModel } from './fixture.js';

/** A canary shaped like an Entra client secret value (40 characters, with ~ and .). */
const CANARY = 'Qx98Q~Canary.Secret_Value-0123456789abcdef';
const HINT = `Qx9…${REDACTED}`;
const JWT =
  'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL291dGxvb2sub2ZmaWNlMzY1LmNvbSIsInJvbGVzIjpbIlNNVFAuU2VuZEFzQXBwIl19.c2lnbmF0dXJlLWJ5dGVzLWhlcmU';

function b64(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64');
}

describe('Redactor: known secrets', () => {
  const r = new Redactor([CANARY]);

  it('shows a known secret as its first three characters, like the hint Entra shows', () => {
    expect(r.text(`secret is ${CANARY}.`)).toBe(`secret is ${HINT}.`);
  });

  it('finds it URL-encoded, form-encoded and JSON-escaped', () => {
    for (const form of [encodeURIComponent(CANARY), new URLSearchParams({ a: CANARY }).toString().slice(2)]) {
      const out = r.text(`grant_type=client_credentials&x=${form}&scope=y`);
      expect(out).not.toContain(form);
      expect(out).toContain(HINT);
    }
    const lowerHex = new URLSearchParams({ a: CANARY }).toString().slice(2).replace(/%7E/g, '%7e');
    expect(lowerHex).toContain('%7e');
    expect(r.text(lowerHex)).toBe(HINT);
  });

  it('finds it inside base64 at any alignment (Basic auth, SASL, snapshots)', () => {
    for (const prefix of ['', 'a', 'ab', 'client-id:']) {
      const blob = b64(`${prefix}${CANARY}`);
      const out = r.text(`Authorization: Basic ${blob}`);
      expect(out).not.toContain(blob);
      expect(out).toContain(REDACTED);
    }
    expect(r.text(`raw ${b64(`xyz${CANARY}tail`)} end`)).toBe(`raw ${REDACTED} end`);
  });

  it('masks secrets registered later and leaves unrelated text alone', () => {
    const late = new Redactor();
    expect(late.text(CANARY)).toBe(CANARY);
    late.addSecret(`${CANARY}\n`);
    expect(late.text(`x ${CANARY} y`)).toBe(`x ${HINT} y`);
    expect(late.text('The client secret "Qx9…" expires in 12 days.')).toBe('The client secret "Qx9…" expires in 12 days.');
  });

  it('does not show a hint of short secrets and ignores trivially short ones', () => {
    const s = new Redactor(['short1234', 'ab']);
    expect(s.text('pw short1234 ab about')).toBe(`pw ${REDACTED} ab about`);
  });

  it('is idempotent', () => {
    const once = r.text(`client_secret=${CANARY}&access_token=${JWT}`);
    expect(r.text(once)).toBe(once);
  });
});

describe('Redactor: secret shapes', () => {
  const r = new Redactor();

  it.each([
    ['a JWT anywhere', `token ${JWT} end`, `token ${REDACTED} end`],
    ['client_secret in a form body', 'client_id=abc&client_secret=s3cr3t~value&scope=x', `client_id=abc&client_secret=${REDACTED}&scope=x`],
    ['client_assertion in a form body', 'client_assertion_type=urn&client_assertion=abc.def.ghi', `client_assertion_type=urn&client_assertion=${REDACTED}`],
    ['an Authorization: Bearer header', 'Authorization: Bearer abc123', `Authorization: Bearer ${REDACTED}`],
    ['an authorization header in JSON', '{"authorization":"Bearer abc123"}', `{"authorization":"Bearer ${REDACTED}"}`],
    ['access_token and refresh_token JSON fields', '{"token_type":"Bearer","access_token":"opaque-1","refresh_token":"opaque-2","expires_in":3599}', `{"token_type":"Bearer","access_token":"${REDACTED}","refresh_token":"${REDACTED}","expires_in":3599}`],
    ['a raw SASL auth field', 'user=john@contoso.com\u0001auth=Bearer opaque-token\u0001\u0001', `user=john@contoso.com\u0001auth=Bearer ${REDACTED}\u0001\u0001`],
    ['an XOAUTH2 blob', `C: AUTH XOAUTH2 ${b64('user=john@contoso.com\u0001auth=Bearer opaque\u0001\u0001')}`, `C: AUTH XOAUTH2 ${REDACTED}`],
    ['a long bearer token in prose', 'sent Bearer abcdefghijklmnopqrstuvwxyz0123 to', `sent Bearer ${REDACTED} to`],
  ])('masks %s', (_name, input, expected) => {
    expect(r.text(input)).toBe(expected);
  });

  it('leaves ordinary text, GUIDs and request ids alone', () => {
    const text = 'Bearer tokens need SMTP.SendAsApp; request-id 1a2b3c4d-0000-4000-8000-000000000001; see https://learn.microsoft.com/a/b';
    expect(r.text(text)).toBe(text);
  });
});

describe('Redactor.deep', () => {
  const r = new Redactor([CANARY]);

  it('masks strings at any depth and values under secret-named keys, without touching the input', () => {
    const input = {
      config: { clientId: 'abc', clientSecret: CANARY, reader: { clientSecret: 'other-secret-value' } },
      response: { access_token: 'opaque', expires_in: 3599 },
      log: [`posted client_secret=${CANARY}`],
      count: 3,
      when: new Date(0),
    };
    const copy = structuredClone(input);
    const out = r.deep(input);
    expect(input).toEqual(copy);
    expect(out.config).toEqual({ clientId: 'abc', clientSecret: HINT, reader: { clientSecret: REDACTED } });
    expect(out.response).toEqual({ access_token: REDACTED, expires_in: 3599 });
    expect(out.log[0]).toBe(`posted client_secret=${HINT}`);
    expect(out.count).toBe(3);
    expect(out.when).toBe(input.when);
  });

  it('keeps errors as errors, with a masked message', () => {
    const err = new TypeError(`request failed: client_secret=${CANARY}`);
    const out = r.deep(err);
    expect(out).toBeInstanceOf(TypeError);
    expect(out.message).toBe(`request failed: client_secret=${HINT}`);
    expect(out.stack).not.toContain(CANARY);
  });

  it('keeps a "__proto__" key from parsed JSON as data', () => {
    const out = r.deep(JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'a']);
  });

  it('survives cycles', () => {
    const a: Record<string, unknown> = { secret: CANARY };
    a.self = a;
    const out = r.deep(a);
    expect(out.secret).toBe(HINT);
    expect(out.self).toBe(out);
  });
});

describe('the process-wide redactor and the reports', () => {
  it('no format shows a registered canary, in any spelling', () => {
    redactor.addSecret(CANARY);
    const model = makeModel();
    model.checks[3]!.details += `\n\nposted client_secret=${encodeURIComponent(CANARY)} and got ${JWT}`;
    model.checks[3]!.evidence = { request: `client_secret=${CANARY}`, basic: b64(`id:${CANARY}`), clientSecret: CANARY };
    model.checks[5]!.summary = `The secret ${CANARY} was rejected.`;
    for (const format of ['text', 'json', 'junit', 'markdown', 'html'] as const) {
      const out = render(model, format, { color: false });
      expect(out, format).not.toContain(CANARY);
      expect(out, format).not.toContain(encodeURIComponent(CANARY));
      expect(out, format).not.toContain(b64(`id:${CANARY}`));
      expect(out, format).not.toContain(JWT.slice(0, 40));
      expect(out, format).toContain('Qx9…');
    }
  });
});

describe('Redactor memory of masked texts', () => {
  it('a text masked before a secret was registered is masked again after it (the memory is forgotten)', () => {
    const r = new Redactor();
    const line = 'the reader used s3cr3t-Value-0123456789 to sign in';
    expect(r.text(line)).toBe(line);
    r.addSecret('s3cr3t-Value-0123456789');
    expect(r.text(line)).toBe('the reader used s3c…[redacted] to sign in');
    // Short texts cannot hold anything any rule masks; long ones are masked each time, not remembered.
    expect(r.text('abc')).toBe('abc');
    const long = `${'x '.repeat(3000)}s3cr3t-Value-0123456789`;
    expect(r.text(long).endsWith('s3c…[redacted]')).toBe(true);
  });
});
