import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';

import { openApiPath } from './route-spec';
import type { RouteSpec } from './route-spec';

/** The path the document itself is served at. */
export const OPENAPI_PATH = '/openapi.json';

const SECURITY: Record<RouteSpec['auth'], Record<string, string[]>[]> = {
  public: [],
  signed: [{ mtls: [], signedRequest: [] }],
  admin: [{ mtls: [] }],
};

/**
 * Builds the OpenAPI 3.1 document from the same route specs (and zod schemas) that express
 * serves and validates with, so the two cannot drift apart.
 */
export function buildOpenApiDocument(routes: RouteSpec[], version: string) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'mtls', {
    type: 'mutualTLS',
    description: 'client X.509-SVID of the trust domain',
  });
  registry.registerComponent('securitySchemes', 'signedRequest', {
    type: 'apiKey',
    in: 'header',
    name: 'Zen-Signature',
    description: 'HMAC request signature with Zen-Key-Id, Zen-Timestamp and Zen-Nonce',
  });
  for (const route of routes) registry.registerPath(toRouteConfig(route));
  registry.registerPath({
    method: 'get',
    path: OPENAPI_PATH,
    summary: 'This OpenAPI document',
    tags: ['meta'],
    responses: { 200: { description: 'OpenAPI 3.1 document' } },
  });

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Zen Mesh control plane',
      version,
      description:
        'Enrollment, renewal, trust bundle, verifier keys and admin API (PROTOCOL.md v1).',
    },
  });
}

function toRouteConfig(route: RouteSpec): RouteConfig {
  const request: RouteConfig['request'] = {};
  if (route.request?.body) {
    request.body = {
      required: true,
      content: { 'application/json': { schema: route.request.body } },
    };
  }
  if (route.request?.query) request.query = route.request.query;
  if (route.request?.params) request.params = route.request.params;
  const responses: RouteConfig['responses'] = {};
  for (const [status, response] of Object.entries(route.responses)) {
    responses[status] = {
      description: response.description,
      ...(response.schema || response.mediaType
        ? {
            content: {
              [response.mediaType ?? 'application/json']: response.schema
                ? { schema: response.schema }
                : { schema: { type: 'string' } },
            },
          }
        : {}),
    };
  }

  return {
    method: route.method,
    path: openApiPath(route.path),
    summary: route.summary,
    tags: [route.tag],
    security: SECURITY[route.auth],
    request,
    responses,
  };
}
