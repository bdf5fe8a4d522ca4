import { z } from 'zod';

import { isSpiffeId } from '@zen/identity';

/** PEM text limit: a CSR or an SVID chain is far below this; the body limit is 64 KiB. */
const PEM_MAX_CHARS = 32768;

const hex = (chars: number, description: string) =>
  z
    .string()
    .regex(new RegExp(`^[0-9a-f]{${chars}}$`), `must be ${chars} lowercase hex characters`)
    .meta({ description });

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([A-Za-z0-9+/=\r\n]+)-----END \1-----/g;

/** True when `text` holds exactly one PEM block and it is labelled `label`. */
export function hasSinglePemBlock(text: string, label: string): boolean {
  const blocks = [...text.matchAll(PEM_BLOCK)];
  const begins = text.match(/-----BEGIN /g)?.length ?? 0;

  return blocks.length === 1 && begins === 1 && blocks[0][1] === label;
}

/** The DER inside a single PEM block (shape checked before, content checked later). */
export function pemBlockDer(text: string): Buffer {
  const [block] = [...text.matchAll(PEM_BLOCK)];

  return Buffer.from(block[2].replace(/\s+/g, ''), 'base64');
}

export const tokenIdSchema = hex(16, 'join token id: 8 random bytes in hex');
export const enrollmentIdSchema = hex(32, 'enrollment id');
export const hmacKeyIdSchema = hex(32, 'id of a per-identity HMAC key');
const macSchema = hex(64, 'HMAC-SHA256 as lowercase hex');
const timestampSchema = z.number().int().nonnegative().meta({ description: 'Unix seconds' });
const timeSchema = z.string().meta({ description: 'RFC 3339 UTC time', format: 'date-time' });
const spiffeIdSchema = z
  .string()
  .min(1)
  .max(2048)
  .refine(isSpiffeId, 'must be a SPIFFE ID')
  .meta({ description: 'SPIFFE ID' });

const csrPemSchema = z
  .string()
  .max(PEM_MAX_CHARS)
  .refine((text) => hasSinglePemBlock(text, 'CERTIFICATE REQUEST'), {
    message: 'must be exactly one PEM block labelled CERTIFICATE REQUEST',
  })
  .meta({ description: 'PKCS#10 CSR as one PEM block' });

const certificatePemSchema = z
  .string()
  .max(PEM_MAX_CHARS)
  .refine((text) => /-----BEGIN CERTIFICATE-----/.test(text), {
    message: 'must hold a PEM block labelled CERTIFICATE',
  })
  .meta({ description: 'X.509 certificate(s) as PEM, leaf first' });

// Requests.

export const bundleQuerySchema = z
  .object({ token_id: tokenIdSchema })
  .meta({ id: 'BootstrapBundleQuery' });
export const challengeRequestSchema = z
  .object({ token_id: tokenIdSchema })
  .meta({ id: 'ChallengeRequest' });
export const enrollRequestSchema = z
  .object({
    token_id: tokenIdSchema,
    nonce: hex(64, 'nonce from the challenge'),
    csr: csrPemSchema,
    timestamp: timestampSchema,
    mac: macSchema,
  })
  .meta({ id: 'EnrollRequest' });
export const confirmRequestSchema = z
  .object({ enrollment_id: enrollmentIdSchema })
  .meta({ id: 'ConfirmRequest' });
export const renewRequestSchema = z.object({ csr: csrPemSchema }).meta({ id: 'RenewRequest' });
export const recoverRequestSchema = z
  .object({
    spiffe_id: spiffeIdSchema,
    expired_svid_pem: certificatePemSchema,
    csr: csrPemSchema,
    timestamp: timestampSchema,
    mac: macSchema,
  })
  .meta({ id: 'RecoverRequest' });
export const trustBundleQuerySchema = z
  .object({ format: z.enum(['json', 'pem']).optional() })
  .meta({ id: 'TrustBundleQuery' });
export const keyParamsSchema = z.object({ hmac_key_id: hmacKeyIdSchema });
export const createTokenRequestSchema = z
  .object({
    component: z.enum(['control-plane', 'zen-agent', 'ingester', 'egress']),
    name: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,128}$/, 'must be 1-128 of A-Z a-z 0-9 . _ -')
      .refine((name) => name !== '.' && name !== '..', { message: 'must not be . or ..' }),
    ttl_seconds: z.number().int().positive().optional(),
  })
  .meta({ id: 'CreateTokenRequest' });
export const evictRequestSchema = z
  .object({ spiffe_id: spiffeIdSchema })
  .meta({ id: 'EvictRequest' });
export const auditQuerySchema = z
  .object({
    after: z
      .string()
      .regex(/^\d{1,15}$/, 'must be a sequence number')
      .optional(),
    limit: z
      .string()
      .regex(/^\d{1,4}$/, 'must be 1-1000')
      .optional(),
  })
  .meta({ id: 'AuditQuery' });

// Responses.

export const errorBodySchema = z
  .object({ error: z.object({ code: z.string(), message: z.string() }) })
  .meta({ id: 'Error' });
export const bootstrapBundleSchema = z
  .object({
    trust_domain: z.string(),
    bundle_pem: z.string(),
    sequence: z.number().int(),
    mac: macSchema,
  })
  .meta({ id: 'BootstrapBundle' });
export const challengeSchema = z
  .object({ nonce: hex(64, 'nonce'), expires_at: timeSchema })
  .meta({ id: 'Challenge' });
const svidFields = {
  svid_pem: z.string(),
  bundle_pem: z.string(),
  bundle_sequence: z.number().int(),
  expires_at: timeSchema,
  renew_after: timeSchema,
};
export const enrollmentBundleSchema = z
  .object({
    enrollment_id: enrollmentIdSchema,
    spiffe_id: spiffeIdSchema,
    ...svidFields,
    hmac_key_id: hmacKeyIdSchema,
    hmac_key: hex(64, 'per-identity HMAC key (32 bytes)'),
  })
  .meta({ id: 'EnrollmentBundle' });
export const confirmResultSchema = z
  .object({ status: z.literal('active') })
  .meta({ id: 'ConfirmResult' });
export const svidResultSchema = z.object(svidFields).meta({ id: 'SvidResult' });
export const spiffeBundleSchema = z
  .object({
    keys: z.array(z.record(z.string(), z.unknown())),
    spiffe_sequence: z.number().int(),
    spiffe_refresh_hint: z.number().int().optional(),
  })
  .meta({ id: 'SpiffeBundle' });
export const verifierKeySchema = z
  .object({ spiffe_id: spiffeIdSchema, hmac_key: hex(64, 'HMAC key'), expires_at: timeSchema })
  .meta({ id: 'VerifierKey' });
const evictionSchema = z
  .object({ spiffe_id: spiffeIdSchema, evicted_at: timeSchema, serials: z.array(z.string()) })
  .meta({ id: 'Eviction' });
export const evictionListSchema = z
  .object({ evictions: z.array(evictionSchema) })
  .meta({ id: 'EvictionList' });
export const evictionResultSchema = evictionSchema;
export const createdTokenSchema = z
  .object({
    token: z.string(),
    token_id: tokenIdSchema,
    spiffe_id: spiffeIdSchema,
    expires_at: timeSchema,
  })
  .meta({ id: 'CreatedToken' });
export const enrollmentListSchema = z
  .object({
    enrollments: z.array(
      z.object({
        enrollment_id: enrollmentIdSchema,
        spiffe_id: spiffeIdSchema,
        component: z.string(),
        name: z.string(),
        status: z.enum(['pending', 'active', 'void', 'evicted']),
        created_at: timeSchema,
        confirm_by: timeSchema,
        confirmed_at: timeSchema.nullable(),
        last_serial: z.string().nullable(),
        expires_at: timeSchema.nullable(),
      }),
    ),
  })
  .meta({ id: 'EnrollmentList' });
export const caStatusSchema = z
  .object({
    trust_domain: z.string(),
    bundle_sequence: z.number().int(),
    generations: z.array(
      z.object({
        id: z.string(),
        state: z.string(),
        not_before: timeSchema,
        not_after: timeSchema,
        root_sha256: z.string(),
      }),
    ),
  })
  .meta({ id: 'CaStatus' });
export const caRotateResultSchema = z
  .object({
    transitions: z.array(z.object({ kind: z.string(), generation_id: z.string() })),
    ca: caStatusSchema,
  })
  .meta({ id: 'CaRotateResult' });
export const auditPageSchema = z
  .object({
    records: z.array(z.record(z.string(), z.unknown())),
    next_after: z.number().int().nullable(),
  })
  .meta({ id: 'AuditPage' });
export const auditKeySchema = z
  .object({ algorithm: z.literal('ES256'), public_key_pem: z.string() })
  .meta({ id: 'AuditKey' });
export const healthSchema = z.object({ status: z.string() }).meta({ id: 'Health' });
