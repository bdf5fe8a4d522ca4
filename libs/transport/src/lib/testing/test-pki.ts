import { randomBytes, webcrypto } from 'node:crypto';

import * as x509 from '@peculiar/x509';

import type { TrustBundle } from '@zen/identity';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const CRYPTO = webcrypto;
const EC_KEY: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGNING: webcrypto.EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };
const HOUR_MS = 3_600_000;

/** A certificate with its key, as a TLS endpoint would load them. */
export interface TestSvid {
  spiffeId: string;
  /** Leaf then intermediates, PEM. */
  certChainPem: string;
  /** PKCS#8 PEM of the leaf key. */
  keyPem: string;
  leafDer: Buffer;
  /** Leaf then intermediates, DER. */
  chainDer: Buffer[];
  /** Lowercase hex serial of the leaf. */
  serial: string;
}

export interface IssueTestSvidOptions {
  /** DNS SANs; a server SVID usually has `localhost`. */
  dnsNames?: string[];
  /** IP SANs; a server SVID usually has `127.0.0.1`. */
  ipAddresses?: string[];
  notBeforeMs?: number;
  notAfterMs?: number;
  /** Issue from the root directly instead of through the intermediate. */
  fromRoot?: boolean;
}

/** A root and an intermediate of one trust domain that issue SVIDs, for specs. */
export interface TestPki {
  trustDomain: string;
  rootDer: Buffer;
  rootPem: string;
  intermediateDer: Buffer;
  /** A bundle holding this PKI's root only. */
  bundle: TrustBundle;
  issueSvid(spiffeId: string, opts?: IssueTestSvidOptions): Promise<TestSvid>;
  /** A server SVID for `spiffe://<td>/control-plane/test` with `localhost` and `127.0.0.1`. */
  issueServerSvid(): Promise<TestSvid>;
}

interface CaKey {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
}

/**
 * Makes a root (CA:true, keyCertSign) and an intermediate for `trustDomain` with the SVID
 * profile of PROTOCOL.md, so that SVIDs it issues pass `verifyX509Svid` and standard TLS.
 */
export async function makeTestPki(trustDomain = 'zen.mesh'): Promise<TestPki> {
  const root = await makeRoot(trustDomain);
  const intermediate = await makeIntermediate(trustDomain, root);
  const rootDer = Buffer.from(root.cert.rawData);
  const intermediateDer = Buffer.from(intermediate.cert.rawData);
  const bundle: TrustBundle = { trustDomain, roots: [rootDer], sequence: 1 };

  const issueSvid = async (spiffeId: string, opts: IssueTestSvidOptions = {}) => {
    const issuer = opts.fromRoot === true ? root : intermediate;
    const leaf = await makeLeaf(spiffeId, issuer, opts);
    const chain = opts.fromRoot === true ? [leaf.leafDer] : [leaf.leafDer, intermediateDer];
    return { ...leaf, spiffeId, chainDer: chain, certChainPem: toPem(chain) };
  };
  const issueServerSvid = () =>
    issueSvid(`spiffe://${trustDomain}/control-plane/test`, {
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1'],
    });

  return {
    trustDomain,
    rootDer,
    rootPem: toPem([rootDer]),
    intermediateDer,
    bundle,
    issueSvid,
    issueServerSvid,
  };
}

/** PEM of DER certificates, in order. */
export function toPem(ders: Buffer[]): string {
  return ders.map((der) => x509.PemConverter.encode(der, 'CERTIFICATE')).join('\n') + '\n';
}

async function makeRoot(trustDomain: string): Promise<CaKey> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerial(),
      name: `CN=Zen Test Root,O=${trustDomain}`,
      keys,
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + 24 * HOUR_MS),
      signingAlgorithm: SIGNING,
      extensions: await caExtensions(trustDomain, keys.publicKey, keys.publicKey),
    },
    CRYPTO,
  );

  return { cert, keys };
}

async function makeIntermediate(trustDomain: string, root: CaKey): Promise<CaKey> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerial(),
      subject: `CN=Zen Test Intermediate,O=${trustDomain}`,
      issuer: root.cert.subject,
      publicKey: keys.publicKey,
      signingKey: root.keys.privateKey,
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + 12 * HOUR_MS),
      signingAlgorithm: SIGNING,
      extensions: await caExtensions(trustDomain, keys.publicKey, root.keys.publicKey),
    },
    CRYPTO,
  );

  return { cert, keys };
}

async function caExtensions(trustDomain: string, subjectKey: CryptoKey, issuerKey: CryptoKey) {
  const usage = x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign;

  return [
    new x509.BasicConstraintsExtension(true, undefined, true),
    new x509.KeyUsagesExtension(usage, true),
    new x509.SubjectAlternativeNameExtension([{ type: 'url', value: `spiffe://${trustDomain}` }]),
    await x509.SubjectKeyIdentifierExtension.create(subjectKey, false, CRYPTO),
    await x509.AuthorityKeyIdentifierExtension.create(issuerKey, false, CRYPTO),
  ];
}

async function makeLeaf(spiffeId: string, issuer: CaKey, opts: IssueTestSvidOptions) {
  const keys = await generateKeys();
  const serialNumber = randomSerial();
  const names: x509.JsonGeneralNames = [{ type: 'url', value: spiffeId }];
  for (const dns of opts.dnsNames ?? []) names.push({ type: 'dns', value: dns });
  for (const ip of opts.ipAddresses ?? []) names.push({ type: 'ip', value: ip });
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber,
      subject: 'O=Zen Mesh Test',
      issuer: issuer.cert.subject,
      publicKey: keys.publicKey,
      signingKey: issuer.keys.privateKey,
      notBefore: new Date(opts.notBeforeMs ?? Date.now() - 60_000),
      notAfter: new Date(opts.notAfterMs ?? Date.now() + HOUR_MS),
      signingAlgorithm: SIGNING,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension(
          [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth],
          false,
        ),
        new x509.SubjectAlternativeNameExtension(names),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, CRYPTO),
        await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey, false, CRYPTO),
      ],
    },
    CRYPTO,
  );
  const pkcs8 = await CRYPTO.subtle.exportKey('pkcs8', keys.privateKey);

  return {
    leafDer: Buffer.from(cert.rawData),
    keyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') + '\n',
    serial: serialNumber.replace(/^0+/, ''),
  };
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return (await CRYPTO.subtle.generateKey(EC_KEY, true, ['sign', 'verify'])) as CryptoKeyPair;
}

/** 16 random bytes, positive (top bit clear) and without a leading zero byte. */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x40;

  return bytes.toString('hex');
}
