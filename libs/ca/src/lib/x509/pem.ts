const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
const BASE64_BODY = /^[A-Za-z0-9+/=\s]*$/;

/** One PEM block: its label and decoded DER. */
export interface PemBlock {
  label: string;
  der: Buffer;
}

/**
 * Every PEM block of `text`, in order. A block whose body is not base64 throws a plain Error;
 * text outside blocks (explanatory headers) is ignored, as RFC 7468 allows.
 */
export function readPemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(PEM_BLOCK)) {
    const body = match[2];
    if (!BASE64_BODY.test(body)) throw new Error(`PEM block ${match[1]} is not base64`);
    blocks.push({ label: match[1], der: Buffer.from(body.replace(/\s+/g, ''), 'base64') });
  }

  return blocks;
}

/** Writes DER as one PEM block with 64-column lines and a final newline. */
export function writePem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];

  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
