/** Codes of the failures this library raises on the calling side (client, transports). */
export type TransportErrorCode =
  | 'transport_connect_failed'
  | 'transport_timeout'
  | 'transport_response_invalid'
  | 'join_token_malformed'
  | 'bootstrap_mac_invalid';

/** Base class of this library's own errors; wire errors are `WireError` instead. */
export class TransportError extends Error {
  readonly code: TransportErrorCode;

  constructor(code: TransportErrorCode, message: string, opts: { cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'TransportError';
    this.code = code;
  }
}

/** The request never got a response: connection refused or reset, TLS handshake failed. */
export class TransportConnectError extends TransportError {
  declare readonly code: 'transport_connect_failed';

  constructor(message: string, opts: { cause?: unknown } = {}) {
    super('transport_connect_failed', message, opts);
    this.name = 'TransportConnectError';
  }
}

/** No complete response arrived within the client's timeout. */
export class TransportTimeoutError extends TransportError {
  declare readonly code: 'transport_timeout';

  constructor(message: string, opts: { cause?: unknown } = {}) {
    super('transport_timeout', message, opts);
    this.name = 'TransportTimeoutError';
  }
}

/** The peer answered with a body that is not the JSON it declared. */
export class TransportResponseError extends TransportError {
  declare readonly code: 'transport_response_invalid';

  constructor(message: string, opts: { cause?: unknown } = {}) {
    super('transport_response_invalid', message, opts);
    this.name = 'TransportResponseError';
  }
}

export { WireError, WIRE_STATUS } from './wire-error';
export type { WireErrorCode } from './wire-error';
