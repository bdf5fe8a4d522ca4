// Errors

/**
 * Wire errors: the closed set of codes of PROTOCOL.md (Conventions) with their HTTP statuses.
 * Throw a `WireError` from a route; the error middleware renders it.
 */
export { INTERNAL_ERROR_MESSAGE, WIRE_STATUS, WireError, isWireErrorCode } from './lib/wire-error';
export type { WireErrorCode, WireErrorOptions } from './lib/wire-error';
/** Errors of the calling side: connect failure, timeout, undecodable response. */
export {
  TransportConnectError,
  TransportError,
  TransportResponseError,
  TransportTimeoutError,
} from './lib/errors';
export type { TransportErrorCode } from './lib/errors';

// Server pipeline

/** Express app with request id, access log, raw body and JSON parsing; then `finishApp`. */
export { createApp, finishApp } from './lib/create-app';
export type { CreateAppOptions } from './lib/create-app';
/** The default request body limit (64 KiB). */
export { DEFAULT_BODY_LIMIT_BYTES } from './lib/json-body';
/** The request id header and the rule for accepting an incoming one. */
export { REQUEST_ID_HEADER, isWellFormedRequestId } from './lib/request-id';
/** How any thrown value is shown to a client (used by the one error middleware). */
export { toWireErrorView } from './lib/error-handler';
export type { WireErrorView } from './lib/error-handler';
/** zod validation of `req.body` that fails with 400 `invalid_request` naming the field. */
export { validateBody } from './lib/validate-body';
/** Per-key request limits over an injected counter; 429 `rate_limited` with Retry-After. */
export { rateLimit } from './lib/rate-limit';
export type { RateLimitHit, RateLimitOptions } from './lib/rate-limit';

// mTLS and request authentication

/** HTTPS server asking for client certificates, with hot-swappable credentials. */
export { createMtlsServer } from './lib/mtls-server';
export type { MtlsCredentials, MtlsServer } from './lib/mtls-server';
/** The verified client identity on `req.peer`. */
export type { PeerIdentity } from './lib/peer-identity';
/** Requires a valid SVID of the trust domain: 401 `unauthenticated`, 403 `forbidden`. */
export { requirePeer } from './lib/require-peer';
export type { RequirePeerOptions } from './lib/require-peer';
/** Verifies signed requests: 401 `signature_invalid`, `identity_mismatch`, `skew`, `replay`. */
export { SIGNED_REQUEST_HEADERS, requireSignedRequest } from './lib/require-signed-request';
export type { RequireSignedRequestOptions, ResolvedSigningKey } from './lib/require-signed-request';

// Client side

/** Signed-request headers for one request (for clients other than ZenHttpClient). */
export { signRequestHeaders } from './lib/sign-request';
export type { SignRequestParams, SignedRequestCredentials } from './lib/sign-request';
/** mTLS HTTPS client: bundle-pinned, optional signing, JSON in and out. */
export { ZenHttpClient } from './lib/zen-http-client';

export {
  EnrollmentClient,
  fetchBootstrapBundle,
  identityClient,
  parseJoinToken,
} from './lib/enrollment-client';
export type {
  BootstrapBundle,
  EnrollOutcome,
  EnrollmentBundle,
  JoinToken,
  Refusal,
} from './lib/enrollment-client';
export type {
  ZenHttpClientCredentials,
  ZenHttpClientOptions,
  ZenHttpResponse,
} from './lib/zen-http-client';

// Transport port and plugins

/** The Transport port (`send` a request as this component, get the response) and its token. */
export { TRANSPORT } from './lib/transport';
export type { Transport, TransportRequest, TransportResponse } from './lib/transport';
/** Transport over mTLS HTTPS. */
export { HttpTransport } from './lib/http-transport';
/** Transport to an app in the same process, with an injected client certificate chain. */
export { InProcessTransport } from './lib/in-process-transport';
export type { InProcessTransportOptions } from './lib/in-process-transport';
