/**
 * The fixed names of log fields (STYLE.md section 7), snake_case as on the wire. Use them as
 * keys so that lines from every component can be searched the same way:
 * `logger.info('svid issued', { [LOG_FIELDS.serial]: serial })`.
 */
export const LOG_FIELDS = {
  requestId: 'request_id',
  spiffeId: 'spiffe_id',
  tokenId: 'token_id',
  enrollmentId: 'enrollment_id',
  hmacKeyId: 'hmac_key_id',
  serial: 'serial',
  durationMs: 'duration_ms',
  status: 'status',
  code: 'code',
} as const;
