import SwaggerParser from '@apidevtools/swagger-parser';
import type { Express } from 'express';
import type { OpenAPIV3_1 } from 'openapi-types';

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

  it('validates against the OpenAPI 3.1 schema, with every reference resolving', async () => {
    const copy = structuredClone(document) as unknown as OpenAPIV3_1.Document;

    const validated = await SwaggerParser.validate(copy);

    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(validated.paths ?? {})).toEqual(Object.keys(document.paths));
  });

  it.each([
    ['a dangling reference', (d: Record<string, unknown>) => ((d.components as object) = {})],
    ['no info object', (d: Record<string, unknown>) => delete d.info],
    [
      'a response keyed by a non-status',
      (d: Record<string, unknown>) => {
        const paths = d.paths as Record<string, Record<string, { responses: object }>>;
        paths['/healthz'].get.responses = { ok: { description: 'x' } };
      },
    ],
  ])('fails that validation for a document with %s', async (_name, damage) => {
    const broken = structuredClone(document) as unknown as Record<string, unknown>;
    damage(broken);

    await expect(
      SwaggerParser.validate(broken as unknown as OpenAPIV3_1.Document),
    ).rejects.toThrow();
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
