import { X509Certificate } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { parsePemCertificates, parseSpiffeId, parseTrustDomain } from '@zen/identity';
import type { TrustBundle } from '@zen/identity';

import { createCaGeneration } from './ca-generation';
import { CaStateError } from './errors';
import { CertificateIssuer, type Issuer } from './issuer';
import { FileSignerFactory } from './signer/file-signer';
import type { SigningAlgorithm } from './signer/signer';
import { readCertificateParts } from './x509/certificate-reader';
import { writePem } from './x509/pem';

/** File names of an offline CA folder. Keys are `<name>.key.pem` (FileSignerFactory). */
export const DISK_CA_FILES = {
  root: 'root.pem',
  intermediate: 'intermediate.pem',
  bundle: 'bundle.pem',
  rootKey: 'root',
  intermediateKey: 'intermediate',
} as const;

/** Default lifetime of an offline CA: one year. */
export const DEFAULT_DISK_CA_TTL_SECONDS = 365 * 24 * 3600;

/** Options of {@link createCaOnDisk}. */
export interface CreateCaOnDiskOptions {
  /** Creation time in Unix seconds; now unless set. */
  nowSeconds?: number;
  /** CA key algorithm; ES256 unless set. */
  algorithm?: SigningAlgorithm;
}

/** An offline CA read back from its folder. */
export interface DiskCa {
  issuer: Issuer;
  bundle: TrustBundle;
  trustDomain: string;
  rootPem: string;
  intermediatePem: string;
  /** Unix seconds; SVIDs are capped at it. */
  notAfter: number;
}

/**
 * Creates an offline CA in `dir` (made with mode 0700): `root.pem`, `intermediate.pem`,
 * `bundle.pem` (the root) and the two keys as PKCS#8 files with mode 0600. Refuses a folder
 * that already holds a CA (CaStateError `ca_disk_exists`).
 */
export async function createCaOnDisk(
  dir: string,
  trustDomain: string,
  ttlSeconds: number = DEFAULT_DISK_CA_TTL_SECONDS,
  options: CreateCaOnDiskOptions = {},
): Promise<void> {
  const domain = parseTrustDomain(trustDomain);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (await exists(join(dir, DISK_CA_FILES.root))) {
    throw new CaStateError('ca_disk_exists', `a CA already exists in ${dir}`);
  }

  const signers = new FileSignerFactory(dir, { algorithm: options.algorithm });
  const generation = await createCaGeneration({
    trustDomain: domain,
    generationId: 'offline',
    nowSeconds: options.nowSeconds ?? Math.floor(Date.now() / 1000),
    ttlSeconds,
    rootSigner: await signers.create(DISK_CA_FILES.rootKey),
    intermediateSigner: await signers.create(DISK_CA_FILES.intermediateKey),
  });
  const rootPem = writePem('CERTIFICATE', generation.rootDer);

  await writeFile(join(dir, DISK_CA_FILES.root), rootPem, { mode: 0o644, flag: 'wx' });
  await writeFile(
    join(dir, DISK_CA_FILES.intermediate),
    writePem('CERTIFICATE', generation.intermediateDer),
    { mode: 0o644, flag: 'wx' },
  );
  await writeFile(join(dir, DISK_CA_FILES.bundle), rootPem, { mode: 0o644, flag: 'wx' });
}

/**
 * Loads the offline CA of `dir` for `zenctl svid sign`: checks that the intermediate is a CA
 * signed by the root and that both name one trust domain, then loads the intermediate key.
 * Throws CaStateError `ca_disk_invalid` or `ca_signer_missing`, or SignerError
 * `signer_key_insecure` when the key file is open to group or others.
 */
export async function loadCaFromDisk(dir: string): Promise<DiskCa> {
  const rootPem = await readCertificateFile(dir, DISK_CA_FILES.root);
  const intermediatePem = await readCertificateFile(dir, DISK_CA_FILES.intermediate);
  const rootDer = onlyCertificate(rootPem, DISK_CA_FILES.root);
  const intermediateDer = onlyCertificate(intermediatePem, DISK_CA_FILES.intermediate);
  const trustDomain = checkHierarchy(rootDer, intermediateDer);

  const signer = await new FileSignerFactory(dir).load(DISK_CA_FILES.intermediateKey);
  if (!signer) {
    throw new CaStateError('ca_signer_missing', `intermediate key is missing in ${dir}`);
  }
  const issuer = new CertificateIssuer({
    trustDomain,
    certificate: intermediateDer,
    chain: [intermediateDer],
    signer,
  });

  return {
    issuer,
    bundle: { trustDomain, roots: [rootDer], sequence: 1 },
    trustDomain,
    rootPem,
    intermediatePem,
    notAfter: issuer.notAfter,
  };
}

function checkHierarchy(rootDer: Buffer, intermediateDer: Buffer): string {
  const invalid = (why: string) => new CaStateError('ca_disk_invalid', `offline CA ${why}`);
  let root, intermediate;
  try {
    root = readCertificateParts(rootDer);
    intermediate = readCertificateParts(intermediateDer);
  } catch (error) {
    throw new CaStateError('ca_disk_invalid', 'offline CA certificate does not parse', {
      cause: error,
    });
  }
  if (!root.isCa || !intermediate.isCa) throw invalid('certificates are not CA certificates');

  const rootId = root.uriSans.length === 1 ? safeSpiffeId(root.uriSans[0]) : null;
  const intermediateId = intermediate.uriSans.length === 1 ? intermediate.uriSans[0] : null;
  if (!rootId || rootId.path !== '' || intermediateId !== rootId.uri) {
    throw invalid('certificates do not name one trust domain');
  }
  const signedByRoot = new X509Certificate(intermediateDer).verify(
    new X509Certificate(rootDer).publicKey,
  );
  if (!signedByRoot) throw invalid('intermediate is not signed by the root');

  return rootId.trustDomain;
}

function safeSpiffeId(uri: string) {
  try {
    return parseSpiffeId(uri);
  } catch {
    return null;
  }
}

function onlyCertificate(pem: string, file: string): Buffer {
  const ders = readPemCertificatesSafely(pem);
  if (ders.length !== 1) {
    throw new CaStateError('ca_disk_invalid', `${file} must hold exactly one certificate`);
  }

  return ders[0];
}

function readPemCertificatesSafely(pem: string): Buffer[] {
  try {
    return parsePemCertificates(pem);
  } catch {
    return [];
  }
}

async function readCertificateFile(dir: string, file: string): Promise<string> {
  try {
    return await readFile(join(dir, file), 'utf8');
  } catch (error) {
    throw new CaStateError('ca_disk_invalid', `cannot read ${file} in ${dir}`, { cause: error });
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
