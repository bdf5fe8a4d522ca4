import type { Request, RequestHandler } from 'express';

import type { Clock } from '@zen/config';
import { certificateSha256, verifyX509Svid } from '@zen/identity';
import type { TrustBundle } from '@zen/identity';

import type { PeerIdentity } from './peer-identity';
import { peerChainOwner, readPeerChain } from './peer-chain';
import { WireError } from './wire-error';

export interface RequirePeerOptions {
  /** The only trust domain accepted, e.g. `zen.mesh`. */
  trustDomain: string;
  /** The current trust bundle; read on every request so rotations apply at once. */
  bundle: () => TrustBundle;
  /** True when the identity is evicted or unconfirmed (answered 403 `forbidden`). */
  isRevoked?: (peer: PeerIdentity) => Promise<boolean>;
  /** Time for expiry checks; default the system clock. */
  clock?: Clock;
}

interface VerifiedPeer {
  peer: PeerIdentity;
  bundle: TrustBundle;
  roots: Buffer[];
  sequence: number;
}

/**
 * Requires a client certificate that is a valid X.509-SVID of `trustDomain` under the current
 * bundle, checked with `verifyX509Svid` (the SPIFFE rules, not just OpenSSL's), and sets
 * `req.peer`. 401 `unauthenticated` for no certificate, an invalid one or another trust
 * domain; 403 `forbidden` when `isRevoked` says so. The verification is cached per TLS socket
 * (its peer certificate cannot change: renegotiation is off) until the bundle changes, and
 * the leaf's expiry is re-checked on every request; `isRevoked` runs on every request.
 */
export function requirePeer(opts: RequirePeerOptions): RequestHandler {
  const cache = new WeakMap<object, VerifiedPeer>();
  const nowMs = () => (opts.clock ? opts.clock.nowMs() : Date.now());

  return async (req, _res, next) => {
    const bundle = opts.bundle();
    const owner = peerChainOwner(req);
    const cached = owner === null ? undefined : cache.get(owner);
    let peer: PeerIdentity;
    if (cached !== undefined && isFresh(cached, bundle, nowMs())) {
      peer = cached.peer;
    } else {
      peer = verifyPeer(req, bundle, opts.trustDomain, nowMs());
      if (owner !== null) {
        cache.set(owner, { peer, bundle, roots: bundle.roots, sequence: bundle.sequence });
      }
    }

    if (opts.isRevoked !== undefined && (await opts.isRevoked(peer))) {
      throw new WireError('forbidden', 'identity is evicted or not confirmed');
    }
    req.peer = peer;

    next();
  };
}

function verifyPeer(req: Request, bundle: TrustBundle, trustDomain: string, atMs: number) {
  const sent = readPeerChain(req);
  if (sent === null) throw new WireError('unauthenticated', 'client certificate required');
  if (bundle.trustDomain !== trustDomain) {
    throw new TypeError(`bundle is for ${bundle.trustDomain}, not ${trustDomain}`);
  }

  // The anchors come from the bundle only: drop any root OpenSSL appended from its CA list.
  const chain = sent.filter(
    (der, index) => index === 0 || !bundle.roots.some((r: Buffer) => r.equals(der)),
  );
  let verified;
  try {
    verified = verifyX509Svid({ chain, bundle, atMs });
  } catch (cause) {
    throw new WireError('unauthenticated', 'client certificate is not a valid SVID', { cause });
  }
  if (verified.spiffeId.trustDomain !== trustDomain) {
    throw new WireError('unauthenticated', 'client certificate is from another trust domain');
  }

  return {
    spiffeId: verified.spiffeId.uri,
    serial: verified.serial,
    certSha256: certificateSha256(verified.leaf),
    notAfterMs: verified.notAfterMs,
  };
}

function isFresh(entry: VerifiedPeer, bundle: TrustBundle, nowMs: number): boolean {
  if (nowMs >= entry.peer.notAfterMs) return false;
  if (entry.bundle === bundle && entry.roots === bundle.roots) {
    return entry.sequence === bundle.sequence;
  }

  return (
    entry.sequence === bundle.sequence &&
    entry.roots.length === bundle.roots.length &&
    entry.roots.every((root, i) => root === bundle.roots[i] || root.equals(bundle.roots[i]))
  );
}
