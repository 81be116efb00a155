declare module 'proxy-from-env' {
  /** The proxy URL for a URL per HTTP(S)_PROXY / NO_PROXY, or '' for a direct connection. */
  export function getProxyForUrl(url: string | URL): string;
}
