/** An mTLS peer whose request signature checked out, as route handlers pass it to services. */
export interface SignedCaller {
  spiffeId: string;
  serial: string;
  hmacKeyId: string;
  requestId: string;
}
