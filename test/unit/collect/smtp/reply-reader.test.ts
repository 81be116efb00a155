import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ReplyError, ReplyReader } from '../../../../src/collect/smtp/reply-reader.js';
import { Transcript } from '../../../../src/collect/smtp/transcript.js';

describe('ReplyReader', () => {
  it('assembles multi-line replies, split across chunks', async () => {
    const s = new PassThrough();
    const r = new ReplyReader();
    r.attach(s);
    s.write('220 hello\r\n250-first\r\n25');
    s.write('0-AUTH LOGIN XOAUTH2\r\n250 SIZE 1\r\n');
    expect(await r.read(1000)).toEqual(['220 hello']);
    expect(await r.read(1000)).toEqual(['250-first', '250-AUTH LOGIN XOAUTH2', '250 SIZE 1']);
  });

  it('reports a silent server as a timeout and a closed one as closed', async () => {
    const s = new PassThrough();
    const r = new ReplyReader();
    r.attach(s);
    await expect(r.read(20)).rejects.toMatchObject({ kind: 'timeout' });
    s.end();
    await expect(r.read(1000)).rejects.toBeInstanceOf(ReplyError);
  });

  it('stops at the run deadline', async () => {
    const s = new PassThrough();
    const r = new ReplyReader();
    r.attach(s);
    const ac = new AbortController();
    const p = r.read(60_000, ac.signal);
    ac.abort();
    await expect(p).rejects.toMatchObject({ kind: 'aborted' });
  });
});

describe('Transcript', () => {
  it('redacts tokens and XOAUTH2 blobs as it records', () => {
    const token = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL291dGxvb2sub2ZmaWNlMzY1LmNvbSJ9.c2lnbmF0dXJlc2lnbmF0dXJl';
    const blob = Buffer.from(`user=john@contoso.com\x01auth=Bearer ${token}\x01\x01`).toString('base64');
    const t = new Transcript();
    t.client(`AUTH XOAUTH2 ${blob}`);
    t.server(`debug ${token}`);
    const out = t.lines().join('\n');
    expect(out).not.toContain(token);
    expect(out).not.toContain(blob);
    expect(out).toContain('C: AUTH XOAUTH2 [redacted]');
  });
});
