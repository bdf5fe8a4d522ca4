import type { DetailedPeerCertificate } from 'node:tls';
import { TLSSocket } from 'node:tls';

import type { Request } from 'express';

/**
 * Where `InProcessTransport` puts the certificate chain its caller would have presented. A
 * symbol property cannot be set from the network, only by code in this process.
 */
export const INJECTED_PEER_CHAIN: unique symbol = Symbol('zen.transport.injectedPeerChain');

const MAX_CHAIN_LENGTH = 8;

type RequestWithInjectedChain = Request & { [INJECTED_PEER_CHAIN]?: Buffer[] };

/** Marks a request as coming from a peer presenting `chain` (leaf first, DER). */
export function injectPeerChain(req: object, chain: Buffer[]): void {
  (req as RequestWithInjectedChain)[INJECTED_PEER_CHAIN] = chain;
}

/** The object a peer chain is stable for: the TLS socket (null for injected chains). */
export function peerChainOwner(req: Request): object | null {
  if ((req as RequestWithInjectedChain)[INJECTED_PEER_CHAIN] !== undefined) return null;

  return req.socket instanceof TLSSocket ? req.socket : null;
}

/**
 * The client's certificate chain, leaf first, DER: the certificates the client sent, found
 * through the `issuerCertificate` links of the TLS socket (OpenSSL may append a root it found
 * in the server's CA list; self-issued certificates after the leaf are left out, since the
 * verifier anchors on the bundle). Null when the client sent no certificate.
 */
export function readPeerChain(req: Request): Buffer[] | null {
  const injected = (req as RequestWithInjectedChain)[INJECTED_PEER_CHAIN];
  if (injected !== undefined) return injected.length === 0 ? null : injected;
  if (!(req.socket instanceof TLSSocket)) return null;

  const leaf = req.socket.getPeerCertificate(true) as Partial<DetailedPeerCertificate>;
  if (leaf.raw === undefined) return null;
  const chain = [leaf.raw];
  let current = leaf as DetailedPeerCertificate;
  while (chain.length < MAX_CHAIN_LENGTH) {
    const issuer = current.issuerCertificate as DetailedPeerCertificate | undefined;
    if (issuer === undefined || issuer === current || issuer.raw === undefined) break;
    if (issuer.fingerprint256 === current.fingerprint256 || isSelfIssued(issuer)) break;
    chain.push(issuer.raw);
    current = issuer;
  }

  return chain;
}

function isSelfIssued(cert: DetailedPeerCertificate): boolean {
  return cert.issuerCertificate === cert;
}
