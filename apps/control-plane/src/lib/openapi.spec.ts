import type { Express } from 'express';

import { TestControlPlane } from '../testing/harness';

import { HttpApp } from './http-app';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** `METHOD /path` of every route express has registered. */
function expressRoutes(app: Express): string[] {
  const stack = (app as unknown as { router: { stack: Layer[] } }).router.stack;
  return stack
    .flatMap((layer) => (layer.route ? [layer.route] : []))
    .flatMap((route) =>
      Object.keys(route.methods).map(
        (m) => `${m.toUpperCase()} ${route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`,
      ),
    )
    .sort();
}

type Document = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, { responses: Record<string, unknown>; summary?: string }>>;
  components?: { schemas?: Record<string, unknown> };
};

describe('/openapi.json', () => {
  let cp: TestControlPlane;
  let document: Document;

  beforeAll(async () => {
    cp = await TestControlPlane.start();
    document = (await cp.publicClient().request<Document>('GET', '/openapi.json')).body;
  });

  afterAll(async () => {
    await cp.close();
  });

  it('documents exactly the routes express serves', () => {
    const app = cp.container.resolve(HttpApp).build();
    const documented = Object.entries(document.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();

    expect(documented).toEqual(expressRoutes(app));
    expect(documented).toContain('POST /v1/enroll');
    expect(documented).toContain('GET /v1/keys/{hmac_key_id}');
  });

  it('is a structurally valid OpenAPI 3.1 document whose references resolve', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.title).toBeTruthy();
    expect(document.info.version).toMatch(/^\d+\.\d+\.\d+$/);
    for (const [path, operations] of Object.entries(document.paths)) {
      expect(path.startsWith('/')).toBe(true);
      for (const [method, operation] of Object.entries(operations)) {
        expect(['get', 'post', 'put', 'delete', 'patch']).toContain(method);
        expect(Object.keys(operation.responses).length).toBeGreaterThan(0);
        for (const status of Object.keys(operation.responses))
          expect(status).toMatch(/^[1-5]\d\d$/);
      }
    }
    const refs = [
      ...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g),
    ].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(document.components?.schemas?.[ref]).toBeDefined();
  });

  it('describes request bodies with the validating schemas', () => {
    const schema = document.components?.schemas?.EnrollRequest as {
      required: string[];
      properties: Record<string, { pattern?: string }>;
    };

    expect(schema.required.sort()).toEqual(['csr', 'mac', 'nonce', 'timestamp', 'token_id']);
    expect(schema.properties.token_id.pattern).toBe('^[0-9a-f]{16}$');
  });
});
