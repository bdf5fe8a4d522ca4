// Signer port and plugins

/**
 * The Signer port: a private key usable only through `sign` (DER ECDSA-Sig-Value) and its
 * public SubjectPublicKeyInfo. See ARCHITECTURE.md, Plugins.
 */
export type { Signer, SignerFactory, SigningAlgorithm } from './lib/signer/signer';
/** Injection token of the configured SignerFactory (`Symbol('zen.ca.SignerFactory')`). */
export { SIGNER_FACTORY } from './lib/signer/signer';
/** Signer plugin `memory`: P-256 (or P-384) keys made in memory, lost at exit. */
export { MemorySignerFactory } from './lib/signer/memory-signer';
/** Options of MemorySignerFactory. */
export type { MemorySignerOptions } from './lib/signer/memory-signer';
/**
 * Signer plugin `file`: PKCS#8 PEM key files (0600, folders 0700); `load` refuses a file open to
 * group or others with SignerError `signer_key_insecure`.
 */
export { FileSignerFactory } from './lib/signer/file-signer';
/** Options of FileSignerFactory. */
export type { FileSignerOptions } from './lib/signer/file-signer';

// CSRs

/**
 * Splits out the DER of a PEM that is exactly one `CERTIFICATE REQUEST` block, without
 * looking inside (what the enrollment MAC hashes). Throws CsrError `csr_malformed`.
 */
export { csrPemToDer } from './lib/csr';
/** Parses a PEM PKCS#10 request into key, key hash, key type and URI SANs; `csr_malformed`. */
export { parseCsrPem } from './lib/csr';
/** Parses a DER PKCS#10 request like parseCsrPem; `csr_malformed`. */
export { parseCsrDer } from './lib/csr';
/**
 * Accepts a CSR for an expected SPIFFE ID: proof of possession, EC P-256/P-384 or RSA ≥ 2048,
 * at most one URI SAN equal to the ID (PROTOCOL.md, Enrollment step 2). Throws CsrError.
 */
export { validateCsr } from './lib/csr';
/** A parsed CSR. `keyType` is `P-256`, `P-384`, `RSA-<bits>` or `other-<kind>`. */
export type { ParsedCsr } from './lib/csr';
/** Kind of a public key as the CA reports it. */
export type { PublicKeyType } from './lib/x509/public-key';
/**
 * Makes a key pair (P-256 by default) and a CSR signed with it, optionally asking for URI SANs;
 * returns the PKCS#8 PEM key, the CSR PEM and the SPKI DER. Synchronous.
 */
export { generateKeyAndCsr } from './lib/key-and-csr';
/** Options and result of generateKeyAndCsr. */
export type { GenerateKeyAndCsrOptions, GeneratedKeyType, KeyAndCsr } from './lib/key-and-csr';

// Issuance

/**
 * Issuer over a signing certificate and its Signer; issues SVIDs with the PROTOCOL.md
 * X.509-SVID profile. Throws IssueError `issue_request_invalid` or `issue_ca_expired`.
 */
export { CertificateIssuer } from './lib/issuer';
/** The narrow issuance interface and its input and output. Times in Unix seconds. */
export type { IssueSvidParams, IssuedSvid, Issuer, SigningAuthority } from './lib/issuer';

// CA generations and rotation

/**
 * Owns the CA generations and their rotation prepared → active → old (PROTOCOL.md, Renewal
 * and rotation); state is shared through a compare-and-set CaStateRepository so replicas
 * converge. Throws CaStateError (`ca_state_invalid`, `ca_state_conflict`, `ca_signer_missing`,
 * `ca_not_initialized`).
 */
export { CaManager } from './lib/ca-manager';
/** Options, transitions and status of CaManager. Times in Unix seconds. */
export type {
  CaGenerationStatus,
  CaManagerOptions,
  CaStatus,
  CaTransition,
} from './lib/ca-manager';
/** Generation states of the rotation state machine. */
export type { CaGenerationState } from './lib/ca-state';
/** Compare-and-set persistence port of the CA state (version 0 = absent). */
export type { CaStateRepository, VersionedValue } from './lib/ca-state-repository';
/** CaStateRepository in process memory, for one process and for tests. */
export { MemoryCaStateRepository } from './lib/ca-state-repository';

// Offline CA on disk (zenctl)

/**
 * Creates an offline CA folder: root.pem, intermediate.pem, bundle.pem and 0600 PKCS#8 keys
 * (default lifetime one year). Throws CaStateError `ca_disk_exists`.
 */
export { createCaOnDisk } from './lib/disk-ca';
/**
 * Loads an offline CA folder as an Issuer plus its bundle and trust domain. Throws CaStateError
 * `ca_disk_invalid` / `ca_signer_missing` or SignerError `signer_key_insecure`.
 */
export { loadCaFromDisk } from './lib/disk-ca';
/** File names and default lifetime of an offline CA folder. */
export { DEFAULT_DISK_CA_TTL_SECONDS, DISK_CA_FILES } from './lib/disk-ca';
/** Options of createCaOnDisk and the result of loadCaFromDisk. */
export type { CreateCaOnDiskOptions, DiskCa } from './lib/disk-ca';

// Errors

/** Error classes of this library; every one carries a stable `code`. */
export { CaError, CaStateError, CsrError, IssueError, SignerError } from './lib/errors';
/** The closed code unions of the error classes. */
export type { CaStateErrorCode, CsrErrorCode, IssueErrorCode, SignerErrorCode } from './lib/errors';
