import { constants } from 'node:crypto';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { SecureContextOptions } from 'node:tls';

import type { RequestListener } from 'node:http';

/** The serving SVID and the roots to request client certificates from, all PEM. */
export interface MtlsCredentials {
  /** Leaf then intermediates. */
  certChainPem: string;
  /** PKCS#8 (or SEC1/PKCS#1) PEM of the leaf key. */
  keyPem: string;
  /** Trust bundle roots; also named in the TLS CertificateRequest. */
  caPem: string;
}

/** A listening-capable mTLS server whose credentials can be swapped without a restart. */
export interface MtlsServer {
  readonly server: Server;
  /** Serves new credentials (rotated SVID, new bundle) to every later handshake. */
  updateCredentials(credentials: MtlsCredentials): void;
  /** Listens on `host:port` (port 0: ephemeral) and resolves the bound address. */
  listen(port: number, host?: string): Promise<{ host: string; port: number }>;
  /** Stops accepting, ends idle keep-alive connections and resolves when closed. */
  close(): Promise<void>;
}

// No session resumption (a resumed session carries no peer chain) and no renegotiation
// (a socket's peer certificate never changes, so requirePeer may cache per socket).
const SECURE_OPTIONS = constants.SSL_OP_NO_TICKET | constants.SSL_OP_NO_RENEGOTIATION;

/**
 * Makes an HTTPS server that asks every client for a certificate but lets the handshake
 * succeed without one (`requestCert: true, rejectUnauthorized: false`): public endpoints share
 * the port, and `requirePeer` verifies SVIDs against the current bundle on protected routes.
 * Plain TLS 1.2+, so curl and `openssl s_client` interoperate.
 */
export function createMtlsServer(app: RequestListener, credentials: MtlsCredentials): MtlsServer {
  const server = createServer(
    {
      ...toSecureContextOptions(credentials),
      requestCert: true,
      rejectUnauthorized: false,
    },
    app,
  );

  return {
    server,
    updateCredentials(next) {
      server.setSecureContext(toSecureContextOptions(next));
    },
    listen(port, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          resolve({ host: address.address, port: address.port });
        });
      });
    },
    close() {
      return new Promise((resolve, reject) => {
        if (!server.listening) return resolve();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeIdleConnections();
      });
    },
  };
}

function toSecureContextOptions(credentials: MtlsCredentials): SecureContextOptions {
  return {
    cert: credentials.certChainPem,
    key: credentials.keyPem,
    ca: credentials.caPem,
    minVersion: 'TLSv1.2',
    secureOptions: SECURE_OPTIONS,
  };
}
