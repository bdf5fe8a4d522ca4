import { X509Certificate, createHash } from 'node:crypto';

import { parseDuration } from '@zen/config';
import {
  parsePemCertificates,
  parseSpiffeId,
  parseTrustBundle,
  parseTrustDomain,
  verifyX509Svid,
} from '@zen/identity';
import type { SpiffeId, TrustBundle } from '@zen/identity';

import { CliError, codedError, invalidInput } from '../lib/errors';
import { readBinaryFile, readTextFile } from '../lib/io';
import type { CliIo } from '../lib/io';
import { printFields, printJson, printLine, rfc3339 } from './output';

/** Options of `zenctl svid verify`. */
export interface SvidVerifyOptions {
  svid: string;
  chain: string[];
  bundle: string;
  trustDomain: string;
  at?: string;
}

/** Options of `zenctl svid sign`. */
export interface SvidSignOptions {
  caDir: string;
  csr: string;
  spiffeId: string;
  ttl?: string;
}

const DEFAULT_SIGN_TTL_SECONDS = 3600;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * `zenctl svid verify`: checks an X.509-SVID chain against a trust bundle with the SPIFFE rules
 * of @zen/identity and prints the SPIFFE ID. A refused SVID exits 1 with the identity error
 * code; unreadable files, unparsable PEM or bundles and a bad `--at` exit 2.
 */
export async function svidVerify(io: CliIo, opts: SvidVerifyOptions): Promise<void> {
  const atMs = opts.at === undefined ? Date.now() : parseRfc3339(opts.at);
  const trustDomain = parseTrustDomainOption(opts.trustDomain);

  const chain = await readCertificates(opts.svid);
  for (const path of opts.chain) chain.push(...(await readCertificates(path)));
  const bundle = await readBundle(opts.bundle, trustDomain);

  try {
    const verified = verifyX509Svid({ chain, bundle, atMs });
    printLine(io, verified.spiffeId.uri);
  } catch (err) {
    throw asNegative(err);
  }
}

/** The facts `svid inspect` shows about the first certificate of a PEM file. */
export interface SvidInspection {
  spiffe_id: string | null;
  serial: string;
  not_before: string;
  not_after: string;
  key_type: string;
  issuer: string;
  subject: string;
  sha256: string;
  chain_length: number;
}

/** Reads the facts of the first certificate of a PEM file (the leaf of a chain). */
export async function inspectSvidFile(path: string): Promise<SvidInspection> {
  const ders = await readCertificates(path);
  const cert = new X509Certificate(ders[0]);
  const uris = uriSans(cert.subjectAltName);

  return {
    spiffe_id: uris.find((uri) => uri.toLowerCase().startsWith('spiffe://')) ?? null,
    serial: normalizeSerial(cert.serialNumber),
    not_before: rfc3339({ ms: Date.parse(cert.validFrom) }),
    not_after: rfc3339({ ms: Date.parse(cert.validTo) }),
    key_type: keyType(cert),
    issuer: distinguishedName(cert.issuer),
    subject: distinguishedName(cert.subject),
    sha256: createHash('sha256').update(ders[0]).digest('hex'),
    chain_length: ders.length,
  };
}

/** `zenctl svid inspect <pem> [--json]`. */
export async function svidInspect(io: CliIo, path: string, json: boolean): Promise<void> {
  const facts = await inspectSvidFile(path);
  if (json) return printJson(io, facts);

  printFields(io, [
    ['spiffe id', facts.spiffe_id ?? '(none)'],
    ['serial', facts.serial],
    ['not before', facts.not_before],
    ['not after', facts.not_after],
    ['key type', facts.key_type],
    ['issuer', facts.issuer || '(empty)'],
    ['subject', facts.subject || '(empty)'],
    ['sha256', facts.sha256],
    ['chain', `${facts.chain_length} certificate${facts.chain_length === 1 ? '' : 's'}`],
  ]);
}

/**
 * `zenctl svid sign`: offline issuance from a CSR with the CA on disk. The CSR must pass the
 * same checks as in enrollment (signature, key type, URI SAN rule) and the SPIFFE ID must be in
 * the CA's trust domain. Prints the chain PEM, leaf first.
 */
export async function svidSign(io: CliIo, opts: SvidSignOptions): Promise<void> {
  const ttlSeconds = opts.ttl === undefined ? DEFAULT_SIGN_TTL_SECONDS : parseTtl(opts.ttl);
  const spiffeId = parseSpiffeIdOption(opts.spiffeId);
  const csrPem = await readTextFile(opts.csr);
  const { loadCaFromDisk, parseCsrPem, validateCsr } = await import('@zen/ca');

  const ca = await loadCa(loadCaFromDisk, opts.caDir);
  if (ca.trustDomain !== spiffeId.trustDomain) {
    const reason = `${spiffeId.uri} is not in the CA trust domain ${ca.trustDomain}`;
    throw new CliError('cli_trust_domain_mismatch', reason, 1);
  }

  let csr: ReturnType<typeof parseCsrPem>;
  try {
    csr = parseCsrPem(csrPem);
    validateCsr(csr, spiffeId.uri);
  } catch (err) {
    throw asNegative(err);
  }

  const nowSeconds = Math.floor(Date.now() / 1000);
  const issued = await ca.issuer.issueSvid({
    publicKeySpki: csr.publicKeySpki,
    spiffeId: spiffeId.uri,
    ttlSeconds,
    nowSeconds,
  });
  io.stdout(issued.chainPem.endsWith('\n') ? issued.chainPem : `${issued.chainPem}\n`);
}

/** Parses a TTL given as seconds or a duration ('90s', '10m', '1h', '7d'); exit 2 when bad. */
export function parseTtl(text: string): number {
  try {
    const seconds = parseDuration(text);
    if (seconds > 0) return seconds;
  } catch (err) {
    throw invalidInput(`invalid ttl ${JSON.stringify(text)}: ${codedError(err)?.reason ?? ''}`);
  }
  throw invalidInput(`invalid ttl ${JSON.stringify(text)}: must be positive`);
}

/** Parses an RFC 3339 time to milliseconds; exit 2 when bad. */
export function parseRfc3339(text: string): number {
  const ms = RFC3339.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) throw invalidInput(`invalid --at ${JSON.stringify(text)}: not RFC 3339`);

  return ms;
}

/** Reads every CERTIFICATE block of a PEM file; none at all is unusable input. */
export async function readCertificates(path: string): Promise<Buffer[]> {
  const pem = await readTextFile(path);
  let ders: Buffer[];
  try {
    ders = parsePemCertificates(pem);
  } catch (err) {
    throw invalidInput(`${path}: ${codedError(err)?.reason ?? 'unparsable PEM'}`, err);
  }
  if (ders.length === 0) throw invalidInput(`${path}: no CERTIFICATE block`);
  for (const der of ders) {
    try {
      new X509Certificate(der);
    } catch (err) {
      throw invalidInput(`${path}: a CERTIFICATE block is not a certificate`, err);
    }
  }

  return ders;
}

async function readBundle(path: string, trustDomain: string): Promise<TrustBundle> {
  const data = await readBinaryFile(path);
  try {
    return parseTrustBundle(data, trustDomain);
  } catch (err) {
    throw invalidInput(`${path}: ${codedError(err)?.reason ?? 'unparsable trust bundle'}`, err);
  }
}

type LoadCa = typeof import('@zen/ca').loadCaFromDisk;

async function loadCa(load: LoadCa, dir: string): Promise<Awaited<ReturnType<LoadCa>>> {
  try {
    return await load(dir);
  } catch (err) {
    const coded = codedError(err);
    const reason = coded ? `${coded.code}: ${coded.reason}` : String((err as Error).message);
    throw new CliError('cli_input_unreadable', `cannot load the CA in ${dir}: ${reason}`, 2);
  }
}

function parseTrustDomainOption(text: string): string {
  try {
    return parseTrustDomain(text);
  } catch (err) {
    const coded = codedError(err);
    throw invalidInput(`invalid --trust-domain: ${coded?.reason ?? 'not a trust domain'}`, err);
  }
}

function parseSpiffeIdOption(text: string): SpiffeId {
  try {
    return parseSpiffeId(text);
  } catch (err) {
    const coded = codedError(err);
    if (!coded) throw err;
    throw new CliError(coded.code, coded.reason, 2, { cause: err });
  }
}

/** A coded library error becomes a negative answer (exit 1); anything else stays internal. */
function asNegative(err: unknown): unknown {
  const coded = codedError(err);

  return coded ? new CliError(coded.code, coded.reason, 1, { cause: err }) : err;
}

function uriSans(subjectAltName: string | undefined): string[] {
  if (!subjectAltName) return [];

  return subjectAltName
    .split(', ')
    .filter((entry) => entry.startsWith('URI:'))
    .map((entry) => entry.slice('URI:'.length));
}

function normalizeSerial(hex: string): string {
  return hex.toLowerCase().replace(/^(00)+(?=.)/, '');
}

/** Node gives a DN one attribute per line, and undefined for an empty one. */
function distinguishedName(text: string | undefined): string {
  return (text ?? '').split('\n').filter(Boolean).join(', ');
}

function keyType(cert: X509Certificate): string {
  const key = cert.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec') return curveName(details.namedCurve);
  if (key.asymmetricKeyType === 'rsa') return `RSA-${details.modulusLength ?? '?'}`;

  return key.asymmetricKeyType ?? 'unknown';
}

function curveName(curve: string | undefined): string {
  if (curve === 'prime256v1') return 'P-256';
  if (curve === 'secp384r1') return 'P-384';
  if (curve === 'secp521r1') return 'P-521';

  return `EC-${curve ?? 'unknown'}`;
}
