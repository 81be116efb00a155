/**
 * Scenario dates: an ISO date/time, or an offset from the simulator's start such as `+30d`, `-2d`,
 * `+12h`, `+5m` (days, hours, minutes).
 */
export function resolveWhen(value: string, start: Date): Date {
  const offset = /^([+-])(\d+)([dhm])$/.exec(value.trim());
  if (offset) {
    const sign = offset[1] === '-' ? -1 : 1;
    const n = Number(offset[2]);
    const unitMs = offset[3] === 'd' ? 86_400_000 : offset[3] === 'h' ? 3_600_000 : 60_000;
    return new Date(start.getTime() + sign * n * unitMs);
  }
  // A bare date or a time without a zone means UTC (scenarios must not depend on the machine's zone).
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : /T[\d:.]+$/.test(value) ? `${value}Z` : value;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new Error(`not a scenario date: ${value}`);
  return d;
}
