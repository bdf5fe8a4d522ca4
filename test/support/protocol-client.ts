import { randomBytes } from 'node:crypto';
import { request } from 'node:https';

import { generateKeyAndCsr } from '@zen/ca';
import { enrollMacString, hmacHex, requestSigningString } from '@zen/hmac';
import { parsePemCertificates } from '@zen/identity';

/** A plain HTTPS response with its body parsed as JSON where it is JSON. */
export interface JsonResponse {
  status: number;
  body: Record<string, unknown>;
}

export interface HttpsOptions {
  ca: string;
  cert?: string;
  key?: string;
  headers?: Record<string, string>;
}

/** Sends one HTTPS request with an exact body and returns status and parsed body. */
export function httpsJson(
  url: string,
  method: string,
  body: string | null,
  opts: HttpsOptions,
): Promise<JsonResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (body !== null) headers['content-type'] = 'application/json';
    const req = request(
      url,
      { method, ca: opts.ca, cert: opts.cert, key: opts.key, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: Record<string, unknown> = {};
          try {
            parsed = text ? JSON.parse(text) : {};
          } catch {
            parsed = { text };
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

/** What a component keeps after a successful enrollment. */
export interface Enrolled {
  spiffeId: string;
  enrollmentId: string;
  svidPem: string;
  keyPem: string;
  hmacKeyId: string;
  hmacKey: Buffer;
}

/** Splits `zen1.<id>.<secret>` into its token id and enrollment key. */
export function splitToken(token: string): { tokenId: string; key: Buffer } {
  const [, tokenId, secret] = token.split('.');
  return { tokenId, key: Buffer.from(secret, 'hex') };
}

/**
 * Runs challenge and enroll once with a fresh P-256 key. Resolves with the raw response and,
 * on 201, the enrolled identity.
 */
export async function enrollOnce(
  baseUrl: string,
  caPem: string,
  token: string,
): Promise<{ response: JsonResponse; enrolled?: Enrolled }> {
  const { tokenId, key } = splitToken(token);
  const challenge = await httpsJson(
    `${baseUrl}/v1/enroll/challenge`,
    'POST',
    JSON.stringify({ token_id: tokenId }),
    { ca: caPem },
  );
  if (challenge.status !== 200) return { response: challenge };
  const nonce = String(challenge.body.nonce);

  const { csrPem, privateKeyPem } = await generateKeyAndCsr({ keyType: 'P-256' });
  const csrDer = parseCsrDer(csrPem);
  const timestamp = Math.floor(Date.now() / 1000);
  const mac = hmacHex(key, enrollMacString({ tokenId, nonce, timestamp, csrDer }));
  const body = JSON.stringify({ token_id: tokenId, nonce, csr: csrPem, timestamp, mac });
  const response = await httpsJson(`${baseUrl}/v1/enroll`, 'POST', body, { ca: caPem });
  if (response.status !== 201) return { response };

  const enrolled: Enrolled = {
    spiffeId: String(response.body.spiffe_id),
    enrollmentId: String(response.body.enrollment_id),
    svidPem: String(response.body.svid_pem),
    keyPem: privateKeyPem,
    hmacKeyId: String(response.body.hmac_key_id),
    hmacKey: Buffer.from(String(response.body.hmac_key), 'hex'),
  };
  return { response, enrolled };
}

/** Sends an mTLS request signed with the enrolled identity's HMAC key. */
export function signedRequest(
  baseUrl: string,
  caPem: string,
  who: Enrolled,
  method: string,
  pathAndQuery: string,
  body: string,
): Promise<JsonResponse> {
  const timestamp = Math.floor(Date.now() / 1000);
  const nonce = randomBytes(16).toString('hex');
  const signature = hmacHex(
    who.hmacKey,
    requestSigningString({
      method,
      pathAndQuery,
      timestamp,
      nonce,
      body: Buffer.from(body, 'utf8'),
    }),
  );
  return httpsJson(`${baseUrl}${pathAndQuery}`, method, body, {
    ca: caPem,
    cert: who.svidPem,
    key: who.keyPem,
    headers: {
      'zen-key-id': who.hmacKeyId,
      'zen-timestamp': String(timestamp),
      'zen-nonce': nonce,
      'zen-signature': signature,
    },
  });
}

/** Confirms an enrollment over mTLS with a signed request. */
export function confirm(baseUrl: string, caPem: string, who: Enrolled): Promise<JsonResponse> {
  const body = JSON.stringify({ enrollment_id: who.enrollmentId });
  return signedRequest(baseUrl, caPem, who, 'POST', '/v1/enroll/confirm', body);
}

function parseCsrDer(csrPem: string): Buffer {
  const match =
    /-----BEGIN CERTIFICATE REQUEST-----([\s\S]+?)-----END CERTIFICATE REQUEST-----/.exec(csrPem);
  if (!match) throw new Error('not a CSR PEM');
  return Buffer.from(match[1].replace(/\s+/g, ''), 'base64');
}

/** The number of certificates in a PEM chain. */
export function chainLength(pem: string): number {
  return parsePemCertificates(pem).length;
}
