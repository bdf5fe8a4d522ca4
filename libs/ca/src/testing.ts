import { createCaGeneration } from './lib/ca-generation';
import { CertificateIssuer, type IssuedSvid, type Issuer } from './lib/issuer';
import { generateKeyAndCsr, type GeneratedKeyType, type KeyAndCsr } from './lib/key-and-csr';
import { MemorySignerFactory } from './lib/signer/memory-signer';
import type { SigningAlgorithm } from './lib/signer/signer';
import { writePem } from './lib/x509/pem';

import type { TrustBundle } from '@zen/identity';

export { describeSignerContract } from './lib/signer/signer-contract';

/** Options of {@link makeTestCa}. Times are Unix seconds. */
export interface TestCaOptions {
  /** Creation time; now unless set. */
  nowSeconds?: number;
  /** Lifetime of root and intermediate; 30 days unless set. */
  ttlSeconds?: number;
  /** CA key algorithm; ES256 unless set. */
  algorithm?: SigningAlgorithm;
}

/** Input of {@link TestCa.issueSvidWithKey}. */
export interface TestSvidOptions {
  spiffeId: string;
  ttlSeconds?: number;
  nowSeconds?: number;
  keyType?: GeneratedKeyType;
  dnsNames?: string[];
  ipAddresses?: string[];
}

/** A throw-away CA on memory signers, for specs of other projects. */
export interface TestCa {
  trustDomain: string;
  issuer: Issuer;
  bundle: TrustBundle;
  rootDer: Buffer;
  intermediateDer: Buffer;
  rootPem: string;
  intermediatePem: string;
  /** Unix seconds. */
  notBefore: number;
  /** Unix seconds. */
  notAfter: number;
  /** Makes a key, issues an SVID for it and returns both (chain PEM plus PKCS#8 key PEM). */
  issueSvidWithKey(options: TestSvidOptions): Promise<IssuedSvid & { privateKeyPem: string }>;
}

const DEFAULT_TEST_CA_TTL_SECONDS = 30 * 24 * 3600;

/** Creates a root + intermediate for `trustDomain` (`zen.mesh` unless set) on memory signers. */
export async function makeTestCa(
  trustDomain = 'zen.mesh',
  options: TestCaOptions = {},
): Promise<TestCa> {
  const nowSeconds = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  const signers = new MemorySignerFactory({ algorithm: options.algorithm });
  const rootSigner = await signers.create('root');
  const intermediateSigner = await signers.create('intermediate');
  const generation = await createCaGeneration({
    trustDomain,
    generationId: 'test',
    nowSeconds,
    ttlSeconds: options.ttlSeconds ?? DEFAULT_TEST_CA_TTL_SECONDS,
    rootSigner,
    intermediateSigner,
  });
  const issuer = new CertificateIssuer({
    trustDomain,
    certificate: generation.intermediateDer,
    chain: [generation.intermediateDer],
    signer: intermediateSigner,
  });

  return {
    trustDomain,
    issuer,
    bundle: { trustDomain, roots: [generation.rootDer], sequence: 1 },
    rootDer: generation.rootDer,
    intermediateDer: generation.intermediateDer,
    rootPem: writePem('CERTIFICATE', generation.rootDer),
    intermediatePem: writePem('CERTIFICATE', generation.intermediateDer),
    notBefore: generation.notBefore,
    notAfter: generation.notAfter,
    async issueSvidWithKey(svid) {
      const key = generateKeyAndCsr({ keyType: svid.keyType });
      const issued = await issuer.issueSvid({
        publicKeySpki: key.publicKeySpki,
        spiffeId: svid.spiffeId,
        ttlSeconds: svid.ttlSeconds ?? 3600,
        nowSeconds: svid.nowSeconds ?? Math.floor(Date.now() / 1000),
        dnsNames: svid.dnsNames,
        ipAddresses: svid.ipAddresses,
      });

      return { ...issued, privateKeyPem: key.privateKeyPem };
    },
  };
}

/** Makes a key pair and a CSR (`P-256` and no URI SAN unless set); see generateKeyAndCsr. */
export async function makeCsr(
  options: { keyType?: GeneratedKeyType; uriSans?: string[] } = {},
): Promise<KeyAndCsr> {
  return generateKeyAndCsr(options);
}
