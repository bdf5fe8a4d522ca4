import type { RequestListener } from 'node:http';

import { createMtlsServer } from '../mtls-server';
import type { MtlsServer } from '../mtls-server';
import type { SignedRequestCredentials } from '../sign-request';
import { ZenHttpClient } from '../zen-http-client';
import type { ZenHttpClientOptions } from '../zen-http-client';
import type { TestPki, TestSvid } from './test-pki';

/** A running mTLS server on an ephemeral 127.0.0.1 port. */
export interface TestMtlsServer {
  baseUrl: string;
  port: number;
  mtls: MtlsServer;
  serverSvid: TestSvid;
  /** A client trusting `pki`'s root, optionally presenting `svid` and signing requests. */
  client(
    svid?: TestSvid,
    signing?: SignedRequestCredentials,
    extra?: Partial<ZenHttpClientOptions>,
  ): ZenHttpClient;
  /** Closes the server and every client made through `client`. */
  close(): Promise<void>;
}

/** Serves `app` over mTLS with a fresh server SVID of `pki` (`localhost`, `127.0.0.1`). */
export async function startTestMtlsServer(
  app: RequestListener,
  pki: TestPki,
): Promise<TestMtlsServer> {
  const serverSvid = await pki.issueServerSvid();
  const mtls = createMtlsServer(app, {
    certChainPem: serverSvid.certChainPem,
    keyPem: serverSvid.keyPem,
    caPem: pki.rootPem,
  });
  const { port } = await mtls.listen(0, '127.0.0.1');
  const baseUrl = `https://127.0.0.1:${port}`;
  const clients: ZenHttpClient[] = [];

  return {
    baseUrl,
    port,
    mtls,
    serverSvid,
    client(svid, signing, extra = {}) {
      const client = new ZenHttpClient({
        baseUrl,
        caPem: pki.rootPem,
        certChainPem: svid?.certChainPem,
        keyPem: svid?.keyPem,
        signing,
        ...extra,
      });
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) client.close();
      await mtls.close();
    },
  };
}
