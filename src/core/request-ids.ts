import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Microsoft request/correlation ids seen while collecting a fact, so every check that used the
 * fact can show them (support engineers quote them to Microsoft). The HTTP layer records into
 * whatever collection is running, without collectors passing lists around.
 */
const scope = new AsyncLocalStorage<Set<string>>();

export function recordRequestId(id: string | undefined): void {
  if (id) scope.getStore()?.add(id);
}

export async function collectingRequestIds<T>(fn: () => Promise<T>): Promise<{ value: T; ids: string[] } | { error: unknown; ids: string[] }> {
  const ids = new Set<string>();
  try {
    const value = await scope.run(ids, fn);
    return { value, ids: [...ids] };
  } catch (error) {
    return { error, ids: [...ids] };
  }
}
