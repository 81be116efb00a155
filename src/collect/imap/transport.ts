import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import type { ImapTransport } from 'imapflow';
import { tlsTrustOptions } from '../../net/tls-trust.js';

/**
 * An imapflow `transport` over a socket that connect-tunnel already opened (directly or through
 * the HTTP CONNECT proxy), so IMAP takes the same network path and proxy decision as SMTP.
 * imapflow's own `proxy:` option is not used: one way to open mail sockets.
 */
export function preopenedTransport(socket: net.Socket, tlsOptions: { ca?: string[] | undefined }): ImapTransport {
  const secureOver = (plain: Duplex, host: string, onSecure: () => void): tls.TLSSocket => {
    // connect-tunnel may hand the socket over paused; TLS must see the server's bytes.
    plain.resume();
    return tls.connect(
      {
        socket: plain,
        ...(net.isIP(host) ? {} : { servername: host }),
        ...tlsTrustOptions(tlsOptions.ca),
        minVersion: 'TLSv1.2',
      },
      onSecure,
    );
  };
  return {
    connect(options, onConnect) {
      if (options.secure) return secureOver(socket, options.host, onConnect);
      setImmediate(onConnect);
      return socket;
    },
    upgrade(plain, options, onSecure) {
      return secureOver(plain, options.host, onSecure);
    },
  };
}
