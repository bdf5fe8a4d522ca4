import { createHash } from 'node:crypto';

import { DerElement, readDerElement } from './der-reader';
import { CertificateEncodingError } from './errors';

const SEQUENCE_TAG = 0x30;
const PEM_CERTIFICATE_BLOCK =
  /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)\r?\n?-----END ([A-Z0-9 ]+)-----/g;
const BASE64_BODY = /^[A-Za-z0-9+/]*={0,2}$/;
const PEM_LINE_CHARS = 64;

/**
 * Decodes the DER of every `CERTIFICATE` block of a PEM text, in order; blocks with other labels
 * (keys, CSRs) are skipped. Each DER must be exactly one SEQUENCE. Throws
 * {@link CertificateEncodingError} `pem_malformed` for bad base64, mismatched labels or bad
 * framing.
 */
export function parsePemCertificates(pem: string): Buffer[] {
  const ders: Buffer[] = [];
  for (const match of pem.matchAll(PEM_CERTIFICATE_BLOCK)) {
    const [, beginLabel, body, endLabel] = match;
    if (beginLabel !== endLabel) {
      throw new CertificateEncodingError('pem_malformed', `pem labels differ: ${beginLabel}`);
    }
    if (beginLabel !== 'CERTIFICATE') {
      continue;
    }
    ders.push(decodePemBody(body));
  }

  return ders;
}

/** Encodes DER certificates as concatenated `CERTIFICATE` PEM blocks, 64-column base64, `\n`. */
export function toPemCertificates(ders: Buffer[]): string {
  return ders.map((der) => pemBlock('CERTIFICATE', der)).join('');
}

/**
 * Splits concatenated DER certificates by walking the outer SEQUENCE lengths; an empty buffer
 * gives `[]`. Throws {@link CertificateEncodingError} `der_malformed` for any other tag,
 * indefinite or truncated lengths.
 */
export function splitDerCertificates(concatenated: Buffer): Buffer[] {
  const ders: Buffer[] = [];
  let offset = 0;
  while (offset < concatenated.length) {
    const end = offset + readSequenceLength(concatenated, offset);
    ders.push(Buffer.from(concatenated.subarray(offset, end)));
    offset = end;
  }

  return ders;
}

/** The lowercase hex SHA-256 of a certificate's DER (its fingerprint, as pinned by `--ca-hash`). */
export function certificateSha256(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}

/** True when `der` is exactly one DER SEQUENCE with a definite, consistent length. */
export function isSingleDerSequence(der: Buffer): boolean {
  try {
    return readSequenceLength(der, 0) === der.length;
  } catch {
    return false;
  }
}

function decodePemBody(body: string): Buffer {
  const compact = body.replace(/\s+/g, '');
  if (!BASE64_BODY.test(compact) || compact.length % 4 !== 0) {
    throw new CertificateEncodingError('pem_malformed', 'certificate block is not base64');
  }

  const der = Buffer.from(compact, 'base64');
  if (!isSingleDerSequence(der)) {
    throw new CertificateEncodingError(
      'pem_malformed',
      'certificate block is not one der sequence',
    );
  }

  return der;
}

function pemBlock(label: string, der: Buffer): string {
  const base64 = der.toString('base64');
  const lines: string[] = [];
  for (let index = 0; index < base64.length; index += PEM_LINE_CHARS) {
    lines.push(base64.slice(index, index + PEM_LINE_CHARS));
  }

  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

// Returns the total size (header plus content) of the SEQUENCE starting at `offset`.
function readSequenceLength(data: Buffer, offset: number): number {
  let element: DerElement;
  try {
    element = readDerElement(data, offset);
  } catch (err) {
    throw new CertificateEncodingError('der_malformed', (err as Error).message, { cause: err });
  }
  if (element.tag !== SEQUENCE_TAG) {
    throw new CertificateEncodingError('der_malformed', `expected a sequence at byte ${offset}`);
  }

  return element.end - offset;
}
