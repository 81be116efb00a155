/** An OData string literal inside a URL path: quotes doubled, then percent-encoded. */
export function odataKey(value: string): string {
  return encodeURIComponent(value.replace(/'/g, "''"));
}

export function asArray<T>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}

export function asString(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}
