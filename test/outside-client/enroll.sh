#!/usr/bin/env bash
# An outside client of the Zen Mesh enrollment protocol, written from PROTOCOL.md alone with
# openssl, curl and jq: trust bootstrap, challenge, enroll, confirm, renew, and a replay check.
#
# usage: enroll.sh <server-url> <join-token> <work-dir>
# Prints one `ok: <step>` line per step; exits non-zero at the first step that fails.
set -euo pipefail

server=$1
token=$2
work=$3
mkdir -p "$work"
cd "$work"

fail() { echo "fail: $*" >&2; exit 1; }
sha256hex() { openssl dgst -sha256 -r | cut -d' ' -f1; }
hmac() { # hmac <hex key>: HMAC-SHA256 of stdin as lowercase hex
  openssl dgst -sha256 -mac HMAC -macopt "hexkey:$1" -r | cut -d' ' -f1
}

IFS=. read -r version token_id secret <<<"$token"
[ "$version" = zen1 ] || fail "token version"
[[ $token_id =~ ^[0-9a-f]{16}$ ]] || fail "token id shape"
[[ $secret =~ ^[0-9a-f]{64}$ ]] || fail "token secret shape"

# Trust bootstrap: the server certificate is not trusted yet, so the bundle is fetched without
# verification and trusted only once its MAC under the token key checks out.
curl -sS --fail-with-body --insecure "$server/v1/enroll/bundle?token_id=$token_id" >bootstrap.json
jq -j .bundle_pem bootstrap.json >bundle.pem
bundle_hash=$(sha256hex <bundle.pem)
want_mac=$(printf 'zen-bundle-v1\n%s\n%s' "$token_id" "$bundle_hash" | hmac "$secret")
[ "$(jq -r .mac bootstrap.json)" = "$want_mac" ] || fail "bundle mac does not verify"
echo "ok: bootstrap bundle mac verified"

# From here on the server certificate must verify against the bundle.
curl -sS --fail-with-body --cacert bundle.pem "$server/healthz" >/dev/null
echo "ok: server certificate verifies against the bundle"

# Challenge.
jq -cn --arg id "$token_id" '{token_id: $id}' >challenge-req.json
curl -sS --fail-with-body --cacert bundle.pem -H 'Content-Type: application/json' \
  --data-binary @challenge-req.json "$server/v1/enroll/challenge" >challenge.json
nonce=$(jq -r .nonce challenge.json)
[[ $nonce =~ ^[0-9a-f]{64}$ ]] || fail "nonce shape"
echo "ok: challenge"

# Key pair and CSR stay local; the CSR carries the expected SPIFFE ID as its only URI SAN.
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout key.pem \
  -subj "/O=outside-client" -out csr.pem 2>/dev/null
csr_hash=$(openssl req -in csr.pem -outform DER | sha256hex)
timestamp=$(date +%s)
mac=$(printf 'zen-enroll-v1\n%s\n%s\n%s\n%s' "$token_id" "$nonce" "$timestamp" "$csr_hash" \
  | hmac "$secret")
jq -cn --arg id "$token_id" --arg nonce "$nonce" --rawfile csr csr.pem \
  --argjson ts "$timestamp" --arg mac "$mac" \
  '{token_id: $id, nonce: $nonce, csr: $csr, timestamp: $ts, mac: $mac}' >enroll-req.json
status=$(curl -sS --cacert bundle.pem -H 'Content-Type: application/json' \
  --data-binary @enroll-req.json -o enroll.json -w '%{http_code}' "$server/v1/enroll")
[ "$status" = 201 ] || fail "enroll answered $status: $(cat enroll.json)"
jq -j .svid_pem enroll.json >svid.pem
spiffe_id=$(jq -r .spiffe_id enroll.json)
enrollment_id=$(jq -r .enrollment_id enroll.json)
hmac_key_id=$(jq -r .hmac_key_id enroll.json)
hmac_key=$(jq -r .hmac_key enroll.json)
[[ $hmac_key =~ ^[0-9a-f]{64}$ ]] || fail "hmac_key shape"
echo "ok: enrolled as $spiffe_id"

# The SVID is a valid X.509-SVID for outside tools: strict chain check and the URI SAN.
openssl verify -x509_strict -CAfile bundle.pem -untrusted svid.pem svid.pem >/dev/null \
  || fail "openssl verify refused the svid"
openssl x509 -in svid.pem -noout -ext subjectAltName | grep -q "URI:$spiffe_id" \
  || fail "svid lacks the URI SAN"
echo "ok: openssl verify -x509_strict accepts the svid"

# signed <method> <path> <body-file> <out-file> [nonce] [timestamp]: an mTLS + signed request.
signed() {
  local method=$1 path=$2 body=$3 out=$4 nonce=${5:-} ts=${6:-}
  [ -n "$nonce" ] || nonce=$(openssl rand -hex 16)
  [ -n "$ts" ] || ts=$(date +%s)
  local body_hash sig
  body_hash=$(sha256hex <"$body")
  sig=$(printf 'zen-req-v1\n%s\n%s\n%s\n%s\n%s' "$method" "$path" "$ts" "$nonce" "$body_hash" \
    | hmac "$hmac_key")
  curl -sS --cacert bundle.pem --cert svid.pem --key key.pem -X "$method" \
    -H 'Content-Type: application/json' -H "Zen-Key-Id: $hmac_key_id" \
    -H "Zen-Timestamp: $ts" -H "Zen-Nonce: $nonce" -H "Zen-Signature: $sig" \
    --data-binary @"$body" -o "$out" -w '%{http_code}' "$server$path"
}

# Confirm.
jq -cn --arg id "$enrollment_id" '{enrollment_id: $id}' >confirm-req.json
confirm_nonce=$(openssl rand -hex 16)
confirm_ts=$(date +%s)
status=$(signed POST /v1/enroll/confirm confirm-req.json confirm.json "$confirm_nonce" "$confirm_ts")
[ "$status" = 200 ] || fail "confirm answered $status: $(cat confirm.json)"
[ "$(jq -r .status confirm.json)" = active ] || fail "confirm status"
echo "ok: confirmed"

# The same signed request sent again is a replay.
status=$(signed POST /v1/enroll/confirm confirm-req.json replay.json "$confirm_nonce" "$confirm_ts")
[ "$status" = 401 ] || fail "replayed request answered $status"
[ "$(jq -r .error.code replay.json)" = replay ] || fail "replay code: $(cat replay.json)"
echo "ok: replayed signed request refused"

# Renew with a new key.
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout key2.pem \
  -subj "/O=outside-client" -out csr2.pem 2>/dev/null
jq -cn --rawfile csr csr2.pem '{csr: $csr}' >renew-req.json
status=$(signed POST /v1/svid/renew renew-req.json renew.json)
[ "$status" = 200 ] || fail "renew answered $status: $(cat renew.json)"
jq -j .svid_pem renew.json >svid2.pem
openssl verify -x509_strict -CAfile bundle.pem -untrusted svid2.pem svid2.pem >/dev/null \
  || fail "openssl verify refused the renewed svid"
[ "$(openssl x509 -in svid2.pem -noout -pubkey | sha256hex)" = \
  "$(openssl pkey -in key2.pem -pubout | sha256hex)" ] || fail "renewed svid is not for key2"
echo "ok: renewed with a new key"

# The old SVID stays usable until it expires; the renewed one works too.
mv key.pem key1.pem && mv svid.pem svid1.pem && cp key2.pem key.pem && cp svid2.pem svid.pem
printf '' >empty.body
status=$(signed GET /v1/keys/does-not-matter empty.body keys.json)
[ "$status" = 403 ] || fail "agent reading verifier keys answered $status"
echo "ok: verifier keys refused to a non-verifier identity"

# The TLS handshake itself checks out for openssl s_client against the bundle.
echo | openssl s_client -connect "${server#https://}" -CAfile bundle.pem -verify_return_error \
  -cert svid.pem -key key.pem >s_client.txt 2>&1 || fail "s_client handshake"
grep -q 'Verify return code: 0 (ok)' s_client.txt || fail "s_client verification"
echo "ok: openssl s_client verifies the server"

echo "done: $spiffe_id"
