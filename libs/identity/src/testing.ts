import 'reflect-metadata';
import { randomBytes, webcrypto } from 'node:crypto';

import * as x509 from '@peculiar/x509';

import { toPemCertificates } from './lib/certificate-encoding';
import { createTrustBundle, TrustBundle } from './lib/trust-bundle';

type CryptoKeyPair = webcrypto.CryptoKeyPair;
type X509Crypto = NonNullable<Parameters<typeof x509.X509CertificateGenerator.create>[1]>;
const crypto = webcrypto as unknown as X509Crypto;

/** Key types the test helpers can make. */
export type TestKeyType = 'P-256' | 'P-384' | 'RSA-2048';

/** keyUsage bit names accepted by {@link TestCertificateOptions.keyUsage}. */
export type TestKeyUsage =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign';

/**
 * Overrides for one test certificate; omitted fields take the SVID profile defaults, and
 * `null` leaves an extension out altogether.
 */
export interface TestCertificateOptions {
  /** RFC 4514-ish subject such as `CN=x, O=y`; `''` makes an empty subject. */
  subject?: string;
  uriSans?: string[];
  dnsSans?: string[];
  ipSans?: string[];
  /** basicConstraints cA (critical); `null` omits the extension. */
  ca?: boolean | null;
  pathLength?: number;
  /** keyUsage bits; `null` omits the extension. */
  keyUsage?: TestKeyUsage[] | null;
  keyUsageCritical?: boolean;
  /** extKeyUsage OIDs; `null` omits the extension. */
  extKeyUsage?: string[] | null;
  notBeforeMs?: number;
  notAfterMs?: number;
  keyType?: TestKeyType;
  /** Adds an unknown extension with this OID, marked critical. */
  criticalExtensionOid?: string;
}

/** A certificate with its key pair, able to sign further test certificates. */
export interface TestAuthority {
  certificate: Buffer;
  keys: CryptoKeyPair;
  subject: string;
}

/** A leaf issued by {@link TestChain.issueLeaf}. */
export interface TestLeaf {
  leaf: Buffer;
  /** PKCS#8 PEM of the leaf private key. */
  leafKeyPem: string;
  /** Leaf then intermediates, DER. */
  chain: Buffer[];
  /** Leaf then intermediates, PEM. */
  chainPem: string;
}

/** A root, optional intermediates and a leaf SVID, made for tests. */
export interface TestChain extends TestLeaf {
  trustDomain: string;
  spiffeId: string;
  root: Buffer;
  intermediates: Buffer[];
  bundle: TrustBundle;
  bundlePem: string;
  rootAuthority: TestAuthority;
  /** The authority that signs leaves: the last intermediate, or the root. */
  issuer: TestAuthority;
  /** Issues another leaf from the same issuer, with the same intermediates. */
  issueLeaf(options?: TestCertificateOptions & { spiffeId?: string }): Promise<TestLeaf>;
}

/** Options of {@link buildTestChain}. */
export interface BuildTestChainOptions {
  trustDomain?: string;
  /** Leaf SPIFFE ID; default `spiffe://<td>/zen-agent/test`. */
  spiffeId?: string;
  /** Number of intermediates between root and leaf; default 1. */
  intermediates?: number;
  /** The reference time: CAs are valid an hour before it, leaves from 60 s before it. */
  nowMs?: number;
  root?: TestCertificateOptions;
  intermediate?: TestCertificateOptions;
  leaf?: TestCertificateOptions;
}

const HOUR_MS = 3_600_000;
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

/**
 * Builds root → intermediates → leaf with the X509-SVID profile (`@peculiar/x509`, WebCrypto
 * keys), applying per-certificate overrides so specs can make every forbidden variant. For
 * specs only; `@zen/ca` is the real issuer.
 */
export async function buildTestChain(options: BuildTestChainOptions = {}): Promise<TestChain> {
  const trustDomain = options.trustDomain ?? 'zen.mesh';
  const nowMs = options.nowMs ?? Date.now();
  const spiffeId = options.spiffeId ?? `spiffe://${trustDomain}/zen-agent/test`;
  const caDefaults = caOptions(trustDomain, nowMs);

  const rootAuthority = await createTestAuthority(null, {
    ...caDefaults,
    subject: `CN=${trustDomain} test root`,
    ...options.root,
  });
  const path: TestAuthority[] = [];
  let issuer = rootAuthority;
  for (let index = 0; index < (options.intermediates ?? 1); index += 1) {
    issuer = await createTestAuthority(issuer, {
      ...caDefaults,
      subject: `CN=${trustDomain} test intermediate ${index + 1}`,
      ...options.intermediate,
    });
    path.unshift(issuer);
  }
  const intermediates = path.map((authority) => authority.certificate);
  const signer = issuer;

  const issueLeaf = async (leafOptions: TestCertificateOptions & { spiffeId?: string } = {}) => {
    const { spiffeId: leafId = spiffeId, ...overrides } = leafOptions;
    const leafAuthority = await createTestAuthority(signer, {
      ...leafDefaults(leafId, nowMs),
      ...overrides,
    });
    const chain = [leafAuthority.certificate, ...intermediates];

    return {
      leaf: leafAuthority.certificate,
      leafKeyPem: await privateKeyPem(leafAuthority.keys),
      chain,
      chainPem: toPemCertificates(chain),
    };
  };
  const bundle = createTrustBundle({ trustDomain, roots: [rootAuthority.certificate] });

  return {
    trustDomain,
    spiffeId,
    root: rootAuthority.certificate,
    intermediates,
    bundle,
    bundlePem: toPemCertificates(bundle.roots),
    rootAuthority,
    issuer: signer,
    issueLeaf,
    ...(await issueLeaf(options.leaf)),
  };
}

/**
 * Makes one certificate with a fresh key: self-signed when `issuer` is `null`, else signed by
 * it (with its key identifier as authority key identifier). Unset options make a CA.
 */
export async function createTestAuthority(
  issuer: TestAuthority | null,
  options: TestCertificateOptions,
): Promise<TestAuthority> {
  const keys = await generateKeys(options.keyType ?? 'P-256');
  const signingKeys = issuer?.keys ?? keys;
  const subject = options.subject ?? '';
  const extensions = await buildExtensions(keys, signingKeys, options, subject === '');

  const certificate = await x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerialHex(),
      subject: subject === '' ? undefined : subject,
      issuer: issuer ? issuer.subject || undefined : subject || undefined,
      notBefore: new Date(options.notBeforeMs ?? Date.now() - HOUR_MS),
      notAfter: new Date(options.notAfterMs ?? Date.now() + HOUR_MS),
      publicKey: keys.publicKey,
      signingKey: signingKeys.privateKey,
      signingAlgorithm: signingAlgorithm(signingKeys.privateKey),
      extensions,
    },
    crypto,
  );

  return { certificate: Buffer.from(certificate.rawData), keys, subject };
}

/** A copy of a certificate whose signature no longer verifies (its last byte flipped). */
export function corruptSignature(der: Buffer): Buffer {
  const copy = Buffer.from(der);
  copy[copy.length - 1] ^= 0x01;

  return copy;
}

/** PKCS#8 PEM of a test key pair's private key. */
export async function privateKeyPem(keys: CryptoKeyPair): Promise<string> {
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', keys.privateKey));
  const lines = pkcs8.toString('base64').match(/.{1,64}/g) ?? [];

  return `-----BEGIN PRIVATE KEY-----\n${lines.join('\n')}\n-----END PRIVATE KEY-----\n`;
}

function caOptions(trustDomain: string, nowMs: number): TestCertificateOptions {
  return {
    uriSans: [`spiffe://${trustDomain}`],
    ca: true,
    keyUsage: ['keyCertSign', 'cRLSign'],
    extKeyUsage: null,
    notBeforeMs: nowMs - HOUR_MS,
    notAfterMs: nowMs + 24 * HOUR_MS,
  };
}

function leafDefaults(spiffeId: string, nowMs: number): TestCertificateOptions {
  return {
    subject: '',
    uriSans: [spiffeId],
    ca: false,
    keyUsage: ['digitalSignature'],
    extKeyUsage: [SERVER_AUTH, CLIENT_AUTH],
    notBeforeMs: nowMs - 60_000,
    notAfterMs: nowMs + HOUR_MS,
  };
}

async function buildExtensions(
  keys: CryptoKeyPair,
  signingKeys: CryptoKeyPair,
  options: TestCertificateOptions,
  emptySubject: boolean,
): Promise<x509.Extension[]> {
  const extensions: x509.Extension[] = [];
  if (options.ca !== null && options.ca !== undefined) {
    extensions.push(new x509.BasicConstraintsExtension(options.ca, options.pathLength, true));
  }
  if (options.keyUsage) {
    const flags = options.keyUsage.reduce((all, name) => all | x509.KeyUsageFlags[name], 0);
    extensions.push(new x509.KeyUsagesExtension(flags, options.keyUsageCritical ?? true));
  }
  if (options.extKeyUsage) {
    extensions.push(new x509.ExtendedKeyUsageExtension(options.extKeyUsage));
  }
  const names = [
    ...(options.uriSans ?? []).map((value) => ({ type: 'url' as const, value })),
    ...(options.dnsSans ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(options.ipSans ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  if (names.length > 0) {
    // RFC 5280 section 4.1.2.6: with an empty subject the SAN extension is critical.
    extensions.push(new x509.SubjectAlternativeNameExtension(names, emptySubject));
  }
  extensions.push(await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto));
  extensions.push(
    await x509.AuthorityKeyIdentifierExtension.create(signingKeys.publicKey, false, crypto),
  );
  if (options.criticalExtensionOid) {
    extensions.push(new x509.Extension(options.criticalExtensionOid, true, new Uint8Array([5, 0])));
  }

  return extensions;
}

async function generateKeys(keyType: TestKeyType): Promise<CryptoKeyPair> {
  const algorithm =
    keyType === 'RSA-2048'
      ? {
          name: 'RSASSA-PKCS1-v1_5',
          modulusLength: 2048,
          publicExponent: new Uint8Array([1, 0, 1]),
          hash: 'SHA-256',
        }
      : { name: 'ECDSA', namedCurve: keyType };

  return (await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
}

function signingAlgorithm(key: webcrypto.CryptoKey): webcrypto.Algorithm | webcrypto.EcdsaParams {
  if (key.algorithm.name === 'ECDSA') {
    const curve = (key.algorithm as webcrypto.EcKeyAlgorithm).namedCurve;
    return { name: 'ECDSA', hash: curve === 'P-384' ? 'SHA-384' : 'SHA-256' };
  }

  return { name: 'RSASSA-PKCS1-v1_5' };
}

// A positive serial of 128 bits: the top bit is cleared so DER needs no sign byte.
function randomSerialHex(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x10;

  return bytes.toString('hex');
}
