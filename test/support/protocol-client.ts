import { request } from 'node:https';

import { generateKeyAndCsr } from '@zen/ca';
import { EnrollmentClient, identityClient, parseJoinToken } from '@zen/transport';
import type { EnrollmentBundle } from '@zen/transport';

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

/** What a component keeps after a successful enrollment: the bundle and its private key. */
export type Enrolled = EnrollmentBundle & { keyPem: string };

/**
 * Runs challenge and enroll once with a fresh P-256 key through the library client. Resolves
 * with the status and error code and, on 201, the enrolled identity.
 */
export async function enrollOnce(
  baseUrl: string,
  caPem: string,
  token: string,
): Promise<{ status: number; code?: string; enrolled?: Enrolled }> {
  const { csrPem, privateKeyPem } = await generateKeyAndCsr({ keyType: 'P-256' });
  const client = new EnrollmentClient({ baseUrl, caPem });
  try {
    const outcome = await client.enroll(parseJoinToken(token), csrPem);
    if (!outcome.ok) return { status: outcome.status, code: outcome.code };

    return { status: 201, enrolled: { ...outcome.bundle, keyPem: privateKeyPem } };
  } finally {
    client.close();
  }
}

/** Confirms an enrollment over mTLS with a signed request. */
export async function confirm(
  baseUrl: string,
  who: Enrolled,
): Promise<{ status: number; body: unknown }> {
  const client = identityClient(baseUrl, who, who.keyPem);
  try {
    const res = await client.request('POST', '/v1/enroll/confirm', {
      enrollment_id: who.enrollmentId,
    });
    return { status: res.status, body: res.body };
  } finally {
    client.close();
  }
}
