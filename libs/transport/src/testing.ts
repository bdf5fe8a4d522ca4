// Test helpers of @zen/transport, for specs and test/ only.

/** Makes a root and an intermediate that issue SVIDs with the PROTOCOL.md profile. */
export { makeTestPki, toPem } from './lib/testing/test-pki';
export type { IssueTestSvidOptions, TestPki, TestSvid } from './lib/testing/test-pki';

/** Serves an app over real mTLS on an ephemeral loopback port, with matching clients. */
export { startTestMtlsServer } from './lib/testing/test-server';
export type { TestMtlsServer } from './lib/testing/test-server';
