/**
 * The one place that decides what a secret looks like in output. Every output path (logger,
 * reports, saved snapshots, error messages) passes through a Redactor, so a secret the tool was
 * given, or a token Microsoft handed back, never reaches a terminal, a file or a ticket.
 *
 * Two kinds of masking:
 * - known secrets (the client secret values and tokens of this run) wherever they occur, also
 *   URL-encoded, JSON-escaped and inside base64 (Basic auth, SASL blobs); the plain form keeps
 *   its first three characters, the same `hint` Entra shows, so a user can tell which secret it
 *   was: `abc…[redacted]`;
 * - shapes that are secret whatever their value: JWTs, `client_secret=…`, bearer tokens,
 *   `access_token` fields, XOAUTH2 blobs. They become `[redacted]`.
 */

export const REDACTED = '[redacted]';

/** Shorter "secrets" would mask ordinary words; Entra secrets are 40 characters. */
const MIN_SECRET_LENGTH = 6;
/** Below this, three characters are too large a part of the secret to show. */
const MIN_HINT_LENGTH = 12;
/** Base64 fragments shorter than this could occur by chance in unrelated base64 data. */
const MIN_BASE64_FRAGMENT = 12;

/** Keys whose value is a secret, whatever the value looks like (used by `deep`). */
const SECRET_KEY =
  /^(?:client_?secret|client_?assertion|access_?token|refresh_?token|id_?token|device_?code|password|secret_?text|assertion|authorization)$/i;

/** The same keys as they appear in form bodies and query strings, and in JSON text. */
const SECRET_FIELD =
  'client_secret|client_assertion|access_token|refresh_token|id_token|device_code|password|clientSecret|clientAssertion|accessToken|refreshToken|idToken|secretText';
const FORM_FIELD = new RegExp(`(?<![A-Za-z0-9_])((?:${SECRET_FIELD})=)([^&\\s"',;]+)`, 'g');
const JSON_FIELD = new RegExp(`("(?:${SECRET_FIELD})"\\s*:\\s*")((?:[^"\\\\]|\\\\.)*)(")`, 'g');

/** JWS (three segments) and JWE (five); the header always starts with base64 of `{"`. */
const JWT = /eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}(?:\.[A-Za-z0-9_-]*){1,3}/g;
/** `Authorization: Bearer x`, `"authorization": "Basic x"`, header dumps in any case. */
const AUTH_HEADER = /(authorization"?\s*[:=]\s*"?\s*(?:bearer|basic)\s+)([^\s",;]+)/gi;
/** The SASL XOAUTH2 / OAUTHBEARER field, when it shows up decoded (fields end at \x01). */
// eslint-disable-next-line no-control-regex -- \x01 is the SASL field separator
const SASL_AUTH = /(\bauth=Bearer\s+)([^\s\x01",;]+)/g;
/** A bearer token in prose or logs; the length keeps "Bearer tokens are…" readable. */
const BEARER = /(\bBearer\s+)([A-Za-z0-9\-._~+/]{16,}=*)/g;
/** Candidates for base64-wrapped secrets (XOAUTH2 blobs, Basic credentials). */
const BASE64_RUN = /[A-Za-z0-9+/_-]{16,}={0,2}/g;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function alreadyRedacted(value: string): boolean {
  return value.includes(REDACTED);
}

/** Every way a secret may be spelled in a URL, a form body or JSON text. */
function textForms(secret: string): string[] {
  const uri = encodeURIComponent(secret);
  const form = new URLSearchParams({ s: secret }).toString().slice(2);
  const json = JSON.stringify(secret).slice(1, -1);
  const lowerHex = (s: string) => s.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
  return [secret, uri, lowerHex(uri), form, lowerHex(form), json];
}

/**
 * Substrings that the base64 of any text containing the secret must contain, for each of the
 * three alignments the secret can have inside the encoded byte stream (standard and URL-safe).
 */
function base64Fragments(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const out: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const first = Math.ceil((offset * 8) / 6);
    const last = Math.floor(((offset + bytes.length) * 8) / 6);
    const fragment = encoded.slice(first, last);
    if (fragment.length >= MIN_BASE64_FRAGMENT) {
      out.push(fragment, fragment.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  return out;
}

function looksLikeSaslBlob(run: string): boolean {
  const decoded = Buffer.from(run.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('latin1');
  // eslint-disable-next-line no-control-regex -- \x01 is the SASL field separator
  return decoded.includes('\x01auth=') || /^user=[^\x01]*\x01/.test(decoded) || /^n,[^\x01]*\x01/.test(decoded);
}

/** Texts remembered with their masked form; a report of a large fleet repeats most of its strings. */
const MAX_CACHED_TEXTS = 20_000;
/** A whole rendered report is masked once; only the strings inside it repeat. */
const MAX_CACHED_LENGTH = 4_096;

export class Redactor {
  /** Spelling of a secret → what replaces it. */
  readonly #forms = new Map<string, string>();
  readonly #fragments = new Set<string>();
  #known: RegExp | null = null;
  /** text() is a function of the text and the secrets registered: forgotten whenever one is added. */
  readonly #masked = new Map<string, string>();

  constructor(knownSecrets: string[] = []) {
    for (const s of knownSecrets) this.addSecret(s);
  }

  /** Registers a secret of this run; from now on it is masked in everything this instance sees. */
  addSecret(secret: string): void {
    for (const candidate of new Set([secret, secret.trim()])) {
      if (candidate.length < MIN_SECRET_LENGTH) continue;
      const mask = candidate.length >= MIN_HINT_LENGTH ? `${candidate.slice(0, 3)}…${REDACTED}` : REDACTED;
      for (const form of textForms(candidate)) if (!this.#forms.has(form)) this.#forms.set(form, mask);
      for (const fragment of base64Fragments(candidate)) this.#fragments.add(fragment);
    }
    // Longest first, so a secret that contains another is masked as a whole.
    const forms = [...this.#forms.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.#known = forms.length > 0 ? new RegExp(forms.join('|'), 'g') : null;
    this.#masked.clear();
  }

  /** Masks every secret in one string. Idempotent: redacting redacted text changes nothing. */
  text(s: string): string {
    // Shorter than the shortest secret, JWT, field or base64 run any rule below masks.
    if (s.length < MIN_SECRET_LENGTH) return s;
    const cached = this.#masked.get(s);
    if (cached !== undefined) return cached;
    const out = this.#mask(s);
    if (s.length > MAX_CACHED_LENGTH) return out;
    if (this.#masked.size >= MAX_CACHED_TEXTS) this.#masked.clear();
    this.#masked.set(s, out);
    return out;
  }

  #mask(s: string): string {
    let out = s;
    if (this.#known) out = out.replace(this.#known, (m) => this.#forms.get(m) ?? REDACTED);
    out = out.replace(JWT, REDACTED);
    out = out.replace(AUTH_HEADER, (_m, prefix: string, value: string) => prefix + (alreadyRedacted(value) ? value : REDACTED));
    out = out.replace(SASL_AUTH, (_m, prefix: string, value: string) => prefix + (alreadyRedacted(value) ? value : REDACTED));
    out = out.replace(BEARER, (_m, prefix: string) => prefix + REDACTED);
    out = out.replace(FORM_FIELD, (m, prefix: string, value: string) => (alreadyRedacted(value) ? m : prefix + REDACTED));
    out = out.replace(JSON_FIELD, (m, prefix: string, value: string, quote: string) =>
      alreadyRedacted(value) || value === '' ? m : prefix + REDACTED + quote,
    );
    out = out.replace(BASE64_RUN, (run) => {
      for (const fragment of this.#fragments) if (run.includes(fragment)) return REDACTED;
      return run.length >= 20 && looksLikeSaslBlob(run) ? REDACTED : run;
    });
    return out;
  }

  /**
   * A redacted copy of any JSON-like value: strings are masked, and a string under a key that
   * names a secret (`clientSecret`, `access_token`, …) is masked whatever it holds. Errors keep
   * their class so loggers still recognise them. The input is never modified.
   */
  deep<T>(value: T): T {
    return this.#deep(value, new WeakMap()) as T;
  }

  #deep(value: unknown, seen: WeakMap<object, unknown>): unknown {
    if (typeof value === 'string') return this.text(value);
    if (value === null || typeof value !== 'object') return value;
    if (seen.has(value)) return seen.get(value);
    if (Array.isArray(value)) {
      const copy: unknown[] = [];
      seen.set(value, copy);
      for (const item of value) copy.push(this.#deep(item, seen));
      return copy;
    }
    const isError = value instanceof Error;
    const proto: unknown = Object.getPrototypeOf(value);
    if (!isError && proto !== Object.prototype && proto !== null) return value; // Date, Buffer, URL…
    const copy: Record<string, unknown> = isError ? (Object.create(proto as object) as Record<string, unknown>) : {};
    seen.set(value, copy);
    const keys = isError ? [...new Set(['name', 'message', 'stack', ...Object.getOwnPropertyNames(value)])] : Object.keys(value);
    for (const key of keys) {
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined && isError) continue;
      const masked = typeof v === 'string' && SECRET_KEY.test(key) ? this.#maskWhole(v) : this.#deep(v, seen);
      // defineProperty: a "__proto__" key from parsed JSON must stay data, not become the prototype.
      Object.defineProperty(copy, this.text(key), { value: masked, enumerable: true, writable: true, configurable: true });
    }
    return copy;
  }

  #maskWhole(v: string): string {
    if (v === '') return v;
    return this.#forms.get(v) ?? this.#forms.get(v.trim()) ?? REDACTED;
  }
}

/** The process-wide instance: the CLI registers the run's secrets here; logger and outputs use it. */
export const redactor = new Redactor();
