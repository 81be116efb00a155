import { describe, expect, it } from 'vitest';
import { isOfflineHost } from '../setup-no-network.js';

// Proves the guard of test/unit/setup-no-network.ts is on in every unit test.
describe('unit tests cannot reach a real network', () => {
  it('a request to a real Microsoft host that no interceptor answers is refused by nock', async () => {
    const err = await fetch('https://graph.microsoft.com/v1.0/$metadata').then(
      () => null,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(err?.code).toBe('ENETUNREACH');
    expect(err?.message).toMatch(/Disallowed net connect for "graph\.microsoft\.com:443/);
  });

  it.each([
    ['127.0.0.1:8443', true],
    ['localhost', true],
    ['graph.example.test:443', true],
    ['login.microsoftonline.com:443', false],
    ['graph.microsoft.com', false],
    ['example.com:443', false],
  ])('lets through %s: %s', (host, allowed) => {
    expect(isOfflineHost(host)).toBe(allowed);
  });
});
