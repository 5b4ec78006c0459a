import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { ROUTES } from '../../handlers/routes';
import { createTestApp, type TestApp } from '../support/app';

let test: TestApp;
let document: any;
beforeAll(async () => {
  test = await createTestApp();
  document = (await test.callJson('GET', '/v1/openapi.json')).body;
});
afterAll(() => test.close());

describe('GET /v1/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document by a standard validator', async () => {
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('describes every route the router serves, with the error body and bearer auth', () => {
    for (const route of ROUTES) {
      const path = route.path.replace(/:(\w+)/g, '{$1}');
      const operation = document.paths[path]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${path}`).toBeDefined();
      expect(Object.keys(operation.responses)).toContain('500');
      if (!route.isPublic)
        expect(operation.responses['401']).toEqual({ $ref: '#/components/responses/Error401' });
      if (route.body)
        expect(operation.requestBody.content['application/json'].schema).toBeDefined();
      if (!route.contentType && route.response) {
        expect(
          operation.responses[String(route.status ?? 200)].content['application/json'].schema,
        ).toBeDefined();
      }
    }
    expect(document.components.securitySchemes.bearerAuth).toEqual({
      type: 'http',
      scheme: 'bearer',
    });
    expect(document.components.schemas.Error.properties.error.properties.code.type).toBe('string');
  });

  it('documents a response body for every JSON route', () => {
    const missing = ROUTES.filter(
      (route) => !route.response && !route.contentType && route.status !== 204,
    ).map((route) => `${route.method} ${route.path}`);
    expect(missing).toEqual([]);
  });

  it('marks /status as public and everything else as bearer-protected', () => {
    expect(document.paths['/status'].get.security).toEqual([]);
    expect(document.security).toEqual([{ bearerAuth: [] }]);
  });
});
