import { SignJWT, exportJWK, generateKeyPair, jwtVerify, type CryptoKey, type JWK } from 'jose';

type KeyLike = CryptoKey;

let signingKey: ReturnType<typeof generateKeyPair> | undefined;

/** Claims of the access tokens the simulated Entra ID issues (v1-style, as Microsoft's are). */
export interface SimClaims {
  aud: string;
  iss: string;
  tid: string;
  appid: string;
  /** Object id of the client's service principal (app-only) or of the user (delegated). */
  oid: string;
  iat: number;
  nbf: number;
  exp: number;
  idtyp?: 'app' | 'user';
  /** App-only: the consented application roles. Absent when none (as Entra does). */
  roles?: string[];
  /** Delegated: space-separated scopes. */
  scp?: string;
  upn?: string;
  /** Directory roles (wids) are left out; the simulator looks them up from the scenario. */
}

export type TokenVerdict = { ok: true; claims: SimClaims } | { ok: false; reason: 'malformed' | 'signature' | 'expired' };

/** Signs and checks the simulator's RS256 tokens. One key pair per simulator run. */
export class TokenAuthority {
  private constructor(
    private readonly privateKey: KeyLike,
    private readonly publicKey: KeyLike,
    readonly jwk: JWK,
    readonly kid: string,
  ) {}

  static async create(): Promise<TokenAuthority> {
    // One signing key per process: RSA key generation is the costliest part of starting a simulator.
    signingKey ??= generateKeyPair('RS256', { extractable: true });
    const { privateKey, publicKey } = await signingKey;
    const jwk = await exportJWK(publicKey);
    const kid = `sim-${Math.random().toString(36).slice(2, 10)}`;
    return new TokenAuthority(privateKey as KeyLike, publicKey as KeyLike, { ...jwk, kid, use: 'sig', alg: 'RS256' }, kid);
  }

  sign(claims: SimClaims): Promise<string> {
    return new SignJWT({ ...claims }).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.kid }).sign(this.privateKey);
  }

  /** `now` is the simulator's clock in seconds (it may be skewed on purpose). */
  async verify(token: string, nowSeconds: number): Promise<TokenVerdict> {
    if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) return { ok: false, reason: 'malformed' };
    try {
      const { payload } = await jwtVerify(token, this.publicKey, { currentDate: new Date(nowSeconds * 1000), clockTolerance: 0 });
      return { ok: true, claims: payload as unknown as SimClaims };
    } catch (e) {
      const code = (e as { code?: string }).code;
      return { ok: false, reason: code === 'ERR_JWT_EXPIRED' ? 'expired' : 'signature' };
    }
  }
}
