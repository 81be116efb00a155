import type { FaultInjector } from './context.js';
import type { Fault } from './scenario/schema.js';

type Service = Parameters<FaultInjector['take']>[0];

/**
 * Picks the fault for a request: the first one of that service whose `path` regex matches and that
 * has not used up its `count`. `untrusted-cert` is a property of a listener (chosen at start), not
 * of a request, so it is never handed out here.
 */
export function createFaultInjector(faults: Fault[]): FaultInjector & { listenerFault(service: Service): Fault | undefined } {
  const entries = faults.map((fault) => ({
    fault,
    re: fault.path ? new RegExp(fault.path) : undefined,
    left: fault.count ?? Number.POSITIVE_INFINITY,
  }));
  return {
    take(service, path, opts) {
      for (const e of entries) {
        if (e.fault.service !== service || e.fault.kind === 'untrusted-cert') continue;
        if (opts?.pathOnly && !e.re) continue;
        if (e.re && !e.re.test(path)) continue;
        if (e.left <= 0) continue;
        e.left -= 1;
        return e.fault;
      }
      return undefined;
    },
    listenerFault(service) {
      return entries.find((e) => e.fault.service === service && e.fault.kind === 'untrusted-cert')?.fault;
    },
  };
}
