/** The roots of one trust domain, shaped like @zen/identity's TrustBundle. */
export interface TrustBundle {
  trustDomain: string;
  /** DER of each root certificate. */
  roots: Buffer[];
  /** Increases on every change of the CA state. */
  sequence: number;
  refreshHintSeconds?: number;
}
