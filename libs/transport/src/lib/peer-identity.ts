/** The verified identity of the TLS client of a request, set by `requirePeer`. */
export interface PeerIdentity {
  /** SPIFFE ID from the leaf's URI SAN, e.g. `spiffe://zen.mesh/zen-agent/node-1`. */
  spiffeId: string;
  /** Leaf serial, lowercase hex. */
  serial: string;
  /** sha256hex of the leaf DER. */
  certSha256: string;
  /** Leaf notAfter, Unix milliseconds. */
  notAfterMs: number;
}

declare global {
  // Express merges these into its Request type; the module is imported by index.ts so every
  // consumer of @zen/transport sees them.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The request id: a well-formed incoming `X-Request-Id` or a generated one. */
      requestId: string;
      /** Exactly the body bytes received (empty when there was no body). */
      rawBody: Buffer;
      /** Set by `requirePeer` once the client's SVID verified. */
      peer?: PeerIdentity;
      /** Set by `requireSignedRequest` once the request signature verified. */
      signedKeyId?: string;
    }
  }
}
