import type { Transport, TransportRequest, TransportResponse } from './transport';
import { ZenHttpClient } from './zen-http-client';
import type { ZenHttpClientOptions } from './zen-http-client';

/** The Transport port over mTLS HTTPS, with request signing when credentials are given. */
export class HttpTransport implements Transport {
  readonly client: ZenHttpClient;

  constructor(opts: ZenHttpClientOptions | ZenHttpClient) {
    this.client = opts instanceof ZenHttpClient ? opts : new ZenHttpClient(opts);
  }

  send<T = unknown>(request: TransportRequest): Promise<TransportResponse<T>> {
    return this.client.request<T>(request.method, request.path, request.body);
  }

  async close(): Promise<void> {
    this.client.close();
  }
}
