import { toJsonSchema } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import { ERROR_CATALOGUE } from '../core/errors';
import type { RouteSpec } from './route-spec';
import { ErrorBody } from './schemas';

/**
 * Builds the OpenAPI 3.1 document from the route table: every route with the request and response
 * schemas its handler validates with, the shared error body and bearer auth.
 */
export function buildOpenApiDocument(
  routes: RouteSpec[],
  version: string,
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = describeOperation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'CWS Local API',
      version,
      description:
        'Cloud Waste Scanner local API. List routes return a plain array unless ?envelope=true or a cursor is given; then {items, page}.',
    },
    servers: [{ url: 'https://127.0.0.1:9123' }],
    security: [{ bearerAuth: [] }],
    tags: [...new Set(routes.map((route) => route.group))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: schemaOf(ErrorBody) },
      responses: Object.fromEntries(
        [...new Set(Object.values(ERROR_CATALOGUE).map((entry) => entry.http_status))].map(
          (status) => [
            `Error${status}`,
            {
              description: errorDescription(status),
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
            },
          ],
        ),
      ),
    },
  };
}

function describeOperation(route: RouteSpec): Record<string, unknown> {
  const parameters = [
    ...[...route.path.matchAll(/:(\w+)/g)].map((match) => ({
      name: match[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    })),
    ...queryParameters(route),
  ];
  return {
    operationId: `${route.method.toLowerCase()}${route.path.replace(/[/:{}-](\w)?/g, (_m, c?: string) => (c ? c.toUpperCase() : ''))}`,
    summary: route.summary,
    tags: [route.group],
    ...(route.isPublic ? { security: [] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: !route.isBodyOptional,
            content: { 'application/json': { schema: schemaOf(route.body) } },
          },
        }
      : {}),
    responses: {
      [String(route.status ?? 200)]: successResponse(route),
      ...errorResponses(route),
    },
  };
}

function queryParameters(route: RouteSpec): Array<Record<string, unknown>> {
  const listParameters = route.isList
    ? [
        {
          name: 'limit',
          in: 'query',
          schema: { type: 'integer', minimum: 1, maximum: 250, default: 50 },
        },
        {
          name: 'cursor',
          in: 'query',
          schema: { type: 'string' },
          description: 'page.next_cursor of the previous page',
        },
        { name: 'envelope', in: 'query', schema: { type: 'string', enum: ['true', 'false'] } },
      ]
    : [];
  if (!route.query) return listParameters;
  const schema = schemaOf(route.query) as {
    properties?: Record<string, unknown>;
    required?: string[];
  };
  const own = Object.entries(schema.properties ?? {})
    .filter(([name]) => !listParameters.some((p) => p.name === name))
    .map(([name, property]) => ({
      name,
      in: 'query',
      required: schema.required?.includes(name) ?? false,
      schema: property,
    }));
  return [...listParameters, ...own];
}

function successResponse(route: RouteSpec): Record<string, unknown> {
  if (route.contentType) {
    return {
      description: 'Success',
      content: { [route.contentType]: { schema: { type: 'string', format: 'binary' } } },
    };
  }
  if (!route.response) return { description: 'Success' };
  const item = schemaOf(route.response);
  const schema = route.isList
    ? {
        oneOf: [
          { type: 'array', items: item },
          {
            type: 'object',
            required: ['items', 'page'],
            properties: {
              items: { type: 'array', items: item },
              page: {
                type: 'object',
                required: ['limit', 'next_cursor', 'has_more'],
                properties: {
                  limit: { type: 'integer' },
                  next_cursor: { type: ['string', 'null'] },
                  has_more: { type: 'boolean' },
                },
              },
            },
          },
        ],
      }
    : item;
  return { description: 'Success', content: { 'application/json': { schema } } };
}

function errorResponses(route: RouteSpec): Record<string, unknown> {
  const statuses = new Set<number>([500]);
  if (!route.isPublic) [401, 429].forEach((s) => statuses.add(s));
  if (route.body || route.query || route.isList) statuses.add(400);
  if (route.body) [413, 415].forEach((s) => statuses.add(s));
  if (route.path.includes(':')) statuses.add(404);
  for (const code of route.errors ?? []) statuses.add(ERROR_CATALOGUE[code].http_status);
  statuses.delete(route.status ?? 200);
  return Object.fromEntries(
    [...statuses]
      .sort()
      .map((status) => [String(status), { $ref: `#/components/responses/Error${status}` }]),
  );
}

function schemaOf(schema: v.GenericSchema): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = toJsonSchema(schema, {
    target: 'draft-2020-12',
    errorMode: 'ignore',
    typeMode: 'input',
  }) as Record<string, unknown>;
  return rest;
}

function errorDescription(status: number): string {
  const codes = Object.entries(ERROR_CATALOGUE)
    .filter(([, entry]) => entry.http_status === status)
    .map(([code]) => code);
  return `Error (${codes.join(', ')})`;
}
