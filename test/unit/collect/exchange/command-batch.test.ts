import { describe, expect, it } from 'vitest';
import { CommandBatcher, MAX_BATCH, type AdminCall } from '../../../../src/collect/exchange/command-batch.js';
import { Semaphore } from '../../../../src/core/semaphore.js';
import { FactError } from '../../../../src/core/fact-error.js';
import type { HttpRequest } from '../../../../src/net/net.js';

const BASE = 'https://outlook.example.test/adminapi/beta/tenant';
const BATCH = `${BASE}/$batch`;

type Reply = { status: number; body: unknown; headers?: Record<string, string> };

/** A Net whose answers a test writes: `batch` answers a $batch, `single` one InvokeCommand. */
function fakeNet(answer: { batch?: (req: HttpRequest, n: number) => Reply; single?: (req: HttpRequest) => Reply }) {
  const sent: HttpRequest[] = [];
  let inFlight = 0;
  let peak = 0;
  const net = {
    async request(req: HttpRequest) {
      sent.push(req);
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      const r = req.url === BATCH ? answer.batch!(req, sent.length) : answer.single!(req);
      return { status: r.status, headers: r.headers ?? {}, body: r.body };
    },
  };
  return { net: net as never, sent, peak: () => peak };
}

function call(cmdlet: string, identity?: string): AdminCall {
  return {
    url: `${BASE}/InvokeCommand`,
    cmdlet,
    body: { CmdletInput: { CmdletName: cmdlet, Parameters: identity ? { Identity: identity } : {} } },
    headers: { authorization: 'Bearer t', 'x-anchormailbox': 'APP:x@tenant', 'x-cmdletname': cmdlet },
  };
}

/** Answers every item of a batch with `{value:[{Cmdlet}]}`, in reverse order (pairing must use ids). */
function echoBatch(req: HttpRequest): Reply {
  const items = (req.body as { requests: { id: string; body: { CmdletInput: { CmdletName: string } } }[] }).requests;
  return { status: 200, body: { responses: items.map((i) => ({ id: i.id, status: 200, body: { value: [{ Cmdlet: i.body.CmdletInput.CmdletName }] } })).reverse() } };
}

const batcher = (net: never, size = 3) => new CommandBatcher({ net, signal: new AbortController().signal }, BATCH, new Semaphore(size));

describe('Exchange admin API $batch (G20 [O])', () => {
  it('calls made in one tick leave as one $batch of the observed shape, each answer paired by id', async () => {
    const f = fakeNet({ batch: echoBatch });
    const b = batcher(f.net);
    const names = ['Get-Mailbox', 'Get-CASMailbox', 'Get-TransportConfig', 'Get-RemoteDomain'];
    const answers = await Promise.all(names.map((n) => b.post(call(n))));
    expect(f.sent).toHaveLength(1);
    expect(f.sent[0]!.url).toBe(BATCH);
    expect(f.sent[0]!.headers?.prefer).toBe('odata.maxpagesize=1000;odata.continue-on-error');
    const requests = (f.sent[0]!.body as { requests: Record<string, unknown>[] }).requests;
    expect(requests.map((r) => r.method)).toEqual(['POST', 'POST', 'POST', 'POST']);
    expect(requests[0]).toMatchObject({ url: `${BASE}/InvokeCommand`, body: { CmdletInput: { CmdletName: 'Get-Mailbox' } }, headers: { 'x-cmdletname': 'Get-Mailbox' } });
    expect(new Set(requests.map((r) => r.id)).size).toBe(4);
    expect(answers.map((a) => (a.body as { value: { Cmdlet: string }[] }).value[0]!.Cmdlet)).toEqual(names);
  });

  it('a lone call goes out as a plain InvokeCommand', async () => {
    const f = fakeNet({ single: () => ({ status: 200, body: { value: [] } }) });
    await batcher(f.net).post(call('Get-RemoteDomain'));
    expect(f.sent.map((r) => r.url)).toEqual([`${BASE}/InvokeCommand`]);
  });

  it(`splits ${MAX_BATCH * 2 + 5} calls into batches of at most ${MAX_BATCH}, never more than the tenant limit in flight`, async () => {
    const f = fakeNet({ batch: echoBatch });
    const b = batcher(f.net, 2);
    await Promise.all(Array.from({ length: MAX_BATCH * 2 + 5 }, (_, i) => b.post(call('Get-Mailbox', `m${i}@contoso.com`))));
    const sizes = f.sent.map((r) => (r.body as { requests: unknown[] }).requests.length);
    expect(sizes).toEqual([MAX_BATCH, MAX_BATCH, 5]);
    expect(f.peak()).toBeLessThanOrEqual(2);
  });

  it('each item keeps its own error: one 404 item does not fail the others', async () => {
    const f = fakeNet({
      batch: (req) => {
        const items = (req.body as { requests: { id: string }[] }).requests;
        return { status: 200, body: { responses: [{ id: items[0]!.id, status: 404, body: { error: { code: 'NotFound', message: 'Error executing cmdlet' } } }, { id: items[1]!.id, status: 200, body: { value: [{ A: 1 }] } }] } };
      },
    });
    const b = batcher(f.net);
    const [bad, good] = await Promise.all([b.post(call('Get-Mailbox', 'nobody@contoso.com')), b.post(call('Get-RemoteDomain'))]);
    expect(bad.status).toBe(404);
    expect(good).toMatchObject({ status: 200, body: { value: [{ A: 1 }] } });
  });

  for (const status of [400, 404, 501]) {
    it(`falls back to single calls for the rest of the run when $batch answers ${status}`, async () => {
      const f = fakeNet({ batch: () => ({ status, body: { error: { code: 'NotFound', message: 'no' } } }), single: (req) => ({ status: 200, body: { value: [{ Cmdlet: (req.headers ?? {})['x-cmdletname'] }] } }) });
      const b = batcher(f.net);
      const answers = await Promise.all([b.post(call('Get-Mailbox')), b.post(call('Get-CASMailbox')), b.post(call('Get-TransportRule'))]);
      expect(answers.map((a) => (a.body as { value: { Cmdlet: string }[] }).value[0]!.Cmdlet)).toEqual(['Get-Mailbox', 'Get-CASMailbox', 'Get-TransportRule']);
      expect(b.refused).toBe(true);
      await Promise.all([b.post(call('Get-RemoteDomain')), b.post(call('Get-TransportConfig'))]);
      expect(f.sent.filter((r) => r.url === BATCH)).toHaveLength(1);
      expect(f.sent.filter((r) => r.url !== BATCH)).toHaveLength(5);
    });
  }

  it('an item answered "maximum number of concurrent requests" is asked again; the others are not', async () => {
    let round = 0;
    const f = fakeNet({
      batch: (req) => {
        round++;
        const items = (req.body as { requests: { id: string }[] }).requests;
        return {
          status: 200,
          body: {
            responses: [
              { id: items[0]!.id, status: 200, body: { value: [{ ok: true }] } },
              { id: items[1]!.id, status: 429, body: { error: { code: 'TooManyRequests', message: 'You have reached the maximum number of concurrent requests per tenant. Please wait and try again.' } } },
            ],
          },
        };
      },
      single: () => ({ status: 200, body: { value: [{ ok: 'retried' }] } }),
    });
    const b = batcher(f.net);
    const [a, c] = await Promise.all([b.post(call('Get-Mailbox')), b.post(call('Get-CASMailbox'))]);
    expect(a.body).toEqual({ value: [{ ok: true }] });
    expect(c.body).toEqual({ value: [{ ok: 'retried' }] });
    expect(round).toBe(1);
    expect(f.sent.map((r) => r.url)).toEqual([BATCH, `${BASE}/InvokeCommand`]);
    // Its retry is this batcher's: Net does not add its own on top.
    expect(f.sent[1]!.retry).toBe(false);
  });

  it('an item that stays throttled ends THROTTLED; a transport fault reaches every item of its batch', async () => {
    const f = fakeNet({
      batch: (req) => {
        const items = (req.body as { requests: { id: string }[] }).requests;
        return { status: 200, body: { responses: items.map((i) => ({ id: i.id, status: 503, headers: { 'Retry-After': '0' }, body: null })) } };
      },
      single: () => ({ status: 503, headers: { 'retry-after': '0' }, body: null }),
    });
    const b = batcher(f.net);
    const results = await Promise.allSettled([b.post(call('Get-Mailbox')), b.post(call('Get-CASMailbox'))]);
    for (const r of results) expect(r.status === 'rejected' && r.reason instanceof FactError && r.reason.code).toBe('THROTTLED');

    const broken = { request: async () => Promise.reject(new FactError('NETWORK', 'connection reset')) };
    const b2 = batcher(broken as never);
    const both = await Promise.allSettled([b2.post(call('Get-Mailbox')), b2.post(call('Get-CASMailbox'))]);
    expect(both.map((r) => r.status === 'rejected' && (r.reason as FactError).code)).toEqual(['NETWORK', 'NETWORK']);
  });

  it('an item the batch answer left out is asked alone', async () => {
    const f = fakeNet({
      batch: (req) => {
        const items = (req.body as { requests: { id: string }[] }).requests;
        return { status: 200, body: { responses: [{ id: items[0]!.id, status: 200, body: { value: [1] } }] } };
      },
      single: () => ({ status: 200, body: { value: [2] } }),
    });
    const b = batcher(f.net);
    const [x, y] = await Promise.all([b.post(call('Get-Mailbox')), b.post(call('Get-CASMailbox'))]);
    expect([x.body, y.body]).toEqual([{ value: [1] }, { value: [2] }]);
    expect(f.sent.map((r) => r.url)).toEqual([BATCH, `${BASE}/InvokeCommand`]);
  });
});
