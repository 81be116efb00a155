import type { TrafficLog } from './context.js';

/** An in-memory record of every request/command the simulator served (tests count round trips). */
export function createTrafficLog(): TrafficLog & { clear(): void } {
  let list: { service: string; what: string; at: number }[] = [];
  return {
    record(service, what) {
      list.push({ service, what, at: Date.now() });
    },
    entries() {
      return [...list];
    },
    clear() {
      list = [];
    },
  };
}
