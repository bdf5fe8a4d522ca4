/**
 * The Lua scripts that decide every race of the Redis plugin. Each runs atomically on the
 * server. Scripts that reach a record named inside another record (a token's enrollment) build
 * that key from the prefix passed in ARGV[1]; every key of a deployment shares one Cluster hash
 * tag, so such keys are in the slot the script runs on. The names below mirror `RedisKeys`.
 */

/** KEYS: token. ARGV: maxFailures. Returns nil or {failedMacs, locked 0|1}. */
export const RECORD_FAILED_MAC = `
local raw = redis.call('GET', KEYS[1])
if not raw then return false end
local token = cjson.decode(raw)
token.failedMacs = token.failedMacs + 1
if token.failedMacs >= tonumber(ARGV[1]) then token.locked = true end
redis.call('SET', KEYS[1], cjson.encode(token), 'KEEPTTL')
return { token.failedMacs, token.locked and 1 or 0 }
`;

/**
 * KEYS: token. ARGV: prefix, now, enrollment json, hmac key json, enrollmentId, hmacKeyId,
 * spiffeId, publicKeySha256, confirmBy, createdAt, hmacKeyExpiresAt, tokenRetentionSeconds.
 * Returns {'denied', reason} | {'resumed', token json, enrollment json} | {'claimed', token json}.
 * Same rules as claim-rules.ts, keep time included.
 */
export const CLAIM_TOKEN = `
local prefix = ARGV[1]
local now = tonumber(ARGV[2])
local raw = redis.call('GET', KEYS[1])
if not raw then return { 'denied', 'token_unknown' } end
local token = cjson.decode(raw)
if token.locked then return { 'denied', 'token_locked' } end
if token.state == 'spent' then return { 'denied', 'token_used' } end
if token.state == 'pending' then
  local claimedRaw = redis.call('GET', prefix .. 'enrollment:' .. token.enrollmentId)
  if not claimedRaw then return { 'denied', 'token_used' } end
  local claimed = cjson.decode(claimedRaw)
  if claimed.status ~= 'pending' or now >= claimed.confirmBy then
    return { 'denied', 'token_used' }
  end
  if claimed.publicKeySha256 ~= ARGV[8] then return { 'denied', 'key_mismatch' } end
  return { 'resumed', raw, claimedRaw }
end
if now >= token.expiresAt then return { 'denied', 'token_expired' } end
token.state = 'pending'
token.enrollmentId = ARGV[5]
local tokenJson = cjson.encode(token)
local confirmBy = tonumber(ARGV[9])
local keepUntil = math.max(token.expiresAt + tonumber(ARGV[12]), confirmBy)
redis.call('SET', KEYS[1], tokenJson, 'EXAT', keepUntil)
redis.call('SET', prefix .. 'enrollment:' .. ARGV[5], ARGV[3])
redis.call('ZADD', prefix .. 'enrollments', ARGV[10], ARGV[5])
redis.call('SET', prefix .. 'enrollment-of:' .. ARGV[7], ARGV[5])
redis.call('SET', prefix .. 'hmac-key:' .. ARGV[6], ARGV[4], 'EXAT', ARGV[11])
return { 'claimed', tokenJson }
`;

/**
 * KEYS: enrollment. ARGV: prefix, now.
 * Returns {'unknown'} | {'already_active'|'expired'|'confirmed', enrollment json}.
 */
export const CONFIRM_ENROLLMENT = `
local raw = redis.call('GET', KEYS[1])
if not raw then return { 'unknown' } end
local enrollment = cjson.decode(raw)
if enrollment.status == 'active' then return { 'already_active', raw } end
local now = tonumber(ARGV[2])
if now >= enrollment.confirmBy then return { 'expired', raw } end
enrollment.status = 'active'
enrollment.confirmedAt = now
local json = cjson.encode(enrollment)
redis.call('SET', KEYS[1], json)
local tokenKey = ARGV[1] .. 'token:' .. enrollment.tokenId
local tokenRaw = redis.call('GET', tokenKey)
if tokenRaw then
  local token = cjson.decode(tokenRaw)
  token.state = 'spent'
  redis.call('SET', tokenKey, cjson.encode(token), 'KEEPTTL')
end
return { 'confirmed', json }
`;

/**
 * KEYS: svid. ARGV: prefix, svid json, keepUntil, enrollmentId, serial, notAfter.
 * Stores the SVID, advances the enrollment (never backwards), extends the HMAC key.
 */
export const RECORD_SVID = `
local keepUntil = tonumber(ARGV[3])
redis.call('SET', KEYS[1], ARGV[2], 'EXAT', keepUntil)
local enrollmentKey = ARGV[1] .. 'enrollment:' .. ARGV[4]
local raw = redis.call('GET', enrollmentKey)
if not raw then return 0 end
local enrollment = cjson.decode(raw)
local notAfter = tonumber(ARGV[6])
if enrollment.lastExpiresAt == cjson.null or notAfter >= enrollment.lastExpiresAt then
  enrollment.lastSerial = ARGV[5]
  enrollment.lastExpiresAt = notAfter
  redis.call('SET', enrollmentKey, cjson.encode(enrollment))
end
local keyKey = ARGV[1] .. 'hmac-key:' .. enrollment.hmacKeyId
local keyRaw = redis.call('GET', keyKey)
if keyRaw then
  local hmacKey = cjson.decode(keyRaw)
  if keepUntil > hmacKey.expiresAt then
    hmacKey.expiresAt = keepUntil
    redis.call('SET', keyKey, cjson.encode(hmacKey), 'EXAT', keepUntil)
  end
end
return 1
`;

/** KEYS: ca state hash. ARGV: expected version, value. Returns 1 when saved. */
export const COMPARE_AND_SET_CA_STATE = `
local version = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if version ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'version', version + 1, 'value', ARGV[2])
return 1
`;

/** KEYS: audit head, audit log. ARGV: seq, prevHash, hash, json. Returns 1 when appended. */
export const APPEND_AUDIT = `
local head = redis.call('HMGET', KEYS[1], 'seq', 'hash')
local seq = tonumber(head[1] or '0')
local hash = head[2] or string.rep('0', 64)
if seq + 1 ~= tonumber(ARGV[1]) or hash ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[4])
redis.call('HSET', KEYS[1], 'seq', ARGV[1], 'hash', ARGV[3])
return 1
`;
