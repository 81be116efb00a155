/**
 * Tolerant readers for one property of an Exchange object, as the admin API returns it (JSON
 * with enums as names) or as PowerShell's `ConvertTo-Json` writes it (enums as numbers,
 * `/Date(…)/` dates, a one-element list as a bare value, Windows PowerShell 5.1's
 * `{"value":[…],"Count":n}` wrapper, rich objects such as identities and proxy addresses).
 */

export type Row = Record<string, unknown>;

/** A property by its PowerShell name; case-insensitive as PowerShell is. */
export function prop(row: Row, name: string): unknown {
  if (name in row) return row[name];
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(row)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

function isObject(v: unknown): v is Row {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A scalar as text. Objects (a serialised identity, ProxyAddress or recipient) give their most
 * telling string member.
 */
export function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.length === 1 ? text(v[0]) : null;
  if (isObject(v)) {
    for (const key of ['AddressString', 'SmtpAddress', 'PrimarySmtpAddress', 'Address', 'Name', 'DisplayName', 'Identity', 'DistinguishedName', 'Id', 'value']) {
      const t = text(prop(v, key));
      if (t) return t;
    }
  }
  return null;
}

/** A list of strings. null/undefined/'' → []; a bare value → [value]; `{value:[…]}` → the list. */
export function list(v: unknown): string[] {
  if (v === null || v === undefined) return [];
  if (Array.isArray(v)) return v.map(text).filter((s): s is string => s !== null);
  if (isObject(v) && Array.isArray(prop(v, 'value'))) return list(prop(v, 'value'));
  const t = text(v);
  return t === null ? [] : [t];
}

/** true/false, 'True'/'False', 1/0; anything else → null. */
export function bool(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 0 ? false : v === 1 ? true : null;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'true' || s === '$true') return true;
    if (s === 'false' || s === '$false') return false;
  }
  return null;
}

export function int(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return null;
}

/**
 * An enum value as its name. `names[i]` is the name of number i (PowerShell writes enums as
 * their underlying number); a string is matched case-insensitively and returned in canonical case;
 * an unknown value is kept as text, so the report can show it.
 */
export function enumName(v: unknown, names: readonly (string | undefined)[]): string | null {
  if (v === null || v === undefined || v === '') return null;
  const n = int(v);
  if (n !== null) return names[n] ?? String(n);
  const t = text(v);
  if (t === null) return null;
  return names.find((name) => name?.toLowerCase() === t.toLowerCase()) ?? t;
}

/** `/Date(1700000000000)/` or `/Date(1700000000000+0100)/` → ISO; ISO stays; else null. */
export function date(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const m = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/.exec(v.trim());
  if (m) return new Date(Number(m[1])).toISOString();
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** `smtp:x@y` / `SMTP:x@y` → `x@y`; other proxy types (x500:, sip:) → null. */
export function smtpAddress(v: unknown): string | null {
  const t = text(v);
  if (t === null) return null;
  const m = /^([a-z0-9]+):(.*)$/i.exec(t);
  if (!m) return t;
  return m[1]!.toLowerCase() === 'smtp' ? m[2]!.trim() || null : null;
}

/** The rows of a cmdlet's output: an array, a single object, `{value:[…]}`, or nothing. */
export function rows(doc: unknown): Row[] {
  if (doc === null || doc === undefined) return [];
  if (Array.isArray(doc)) return doc.filter(isObject);
  if (isObject(doc)) {
    const value = prop(doc, 'value');
    if (Array.isArray(value) && Object.keys(doc).every((k) => ['value', 'count', '@odata.context', '@odata.nextlink', '@adminapi.warnings'].includes(k.toLowerCase()))) {
      return value.filter(isObject);
    }
    return [doc];
  }
  return [];
}
