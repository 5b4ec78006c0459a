import { describe, expect, it } from 'bun:test';
import { join } from 'node:path';
import { renderOpenApiTypes, renderSchema } from '../../clients/js/scripts/openapi-to-typescript';

const FILE = join(import.meta.dir, '..', '..', 'clients', 'js', 'src', 'generated', 'openapi.ts');

/** A rendered type on one line, so that expectations do not depend on line breaks. */
function compact(type: string): string {
  return type.replace(/\s+/g, ' ').trim();
}

function render(document: Record<string, unknown>): Promise<string> {
  return renderOpenApiTypes(document, { header: ['Test header.'], filePath: FILE });
}

describe('renderSchema', () => {
  it('renders scalars, literals and nullable unions', () => {
    expect(renderSchema({ type: 'integer' }, 'x')).toBe('number');
    expect(renderSchema({ const: 'v1' }, 'x')).toBe("'v1'");
    expect(renderSchema({ enum: ['a', "it's"], type: 'string' }, 'x')).toBe(`'a' | 'it\\'s'`);
    expect(renderSchema({ anyOf: [{ type: 'string' }, { type: 'null' }] }, 'x')).toBe(
      'string | null',
    );
    expect(renderSchema({ type: ['string', 'null'] }, 'x')).toBe('string | null');
    expect(renderSchema({}, 'x')).toBe('unknown');
  });

  it('keeps the element type of an array of unions together', () => {
    const schema = { type: 'array', items: { enum: ['pdf', 'csv'] } };

    expect(renderSchema(schema, 'x')).toBe("('pdf' | 'csv')[]");
  });

  it('marks properties outside `required` optional and reads a missing extra as closed', () => {
    const schema = {
      type: 'object',
      properties: { id: { type: 'string' }, note: { type: 'string', description: 'Free text.' } },
      required: ['id'],
    };

    expect(compact(renderSchema(schema, 'x'))).toBe(
      '{ id: string; /** Free text. */ note?: string; }',
    );
  });

  it('renders records as index signatures and enumerated keys as optional mapped keys', () => {
    const rates = { type: 'object', propertyNames: { type: 'string' }, additionalProperties: {} };
    const byProvider = {
      type: 'object',
      propertyNames: { enum: ['aws', 'azure'], type: 'string' },
      additionalProperties: { type: 'number' },
    };

    expect(renderSchema(rates, 'x')).toBe('{ [key: string]: unknown }');
    expect(renderSchema(byProvider, 'x')).toBe("{ [K in 'aws' | 'azure']?: number }");
    expect(renderSchema({ type: 'object' }, 'x')).toBe('Record<string, never>');
  });

  it('keeps declared properties beside an open index signature', () => {
    const schema = {
      type: 'object',
      properties: { id: { type: 'string' } },
      required: ['id'],
      additionalProperties: true,
    };

    expect(compact(renderSchema(schema, 'x'))).toBe('{ id: string; [key: string]: unknown; }');
  });

  it('turns component references into indexed access and intersects allOf', () => {
    const schema = {
      allOf: [{ $ref: '#/components/schemas/Error' }, { anyOf: [{ type: 'string' }, {}] }],
    };

    expect(renderSchema(schema, 'x')).toBe("Components['schemas']['Error'] & (string | unknown)");
  });

  it('refuses keywords it cannot express instead of widening them to unknown', () => {
    expect(() => renderSchema({ type: 'object', patternProperties: {} }, 'GET /x')).toThrow(
      'GET /x: unsupported JSON Schema keyword "patternProperties"',
    );
    expect(() => renderSchema({ not: { type: 'string' } }, 'x')).toThrow('"not"');
    expect(() => renderSchema({ $ref: 'https://example.test/s.json' }, 'x')).toThrow(
      'unsupported reference',
    );
    expect(() => renderSchema({ type: 'object', anyOf: [] }, 'x')).toThrow('anyOf beside "type"');
    expect(() => renderSchema({ type: 'date' }, 'x')).toThrow('unknown JSON Schema type "date"');
  });
});

describe('renderOpenApiTypes', () => {
  const document = {
    openapi: '3.1.0',
    paths: {
      '/v1/things/{id}': {
        get: {
          summary: 'One thing',
          parameters: [{ name: 'verbose', in: 'query', schema: { type: 'boolean' } }],
          responses: {
            '200': {
              description: 'Success',
              content: { 'application/json': { schema: { const: 'thing' } } },
            },
            '404': { $ref: '#/components/responses/Error404' },
          },
        },
        delete: {
          parameters: [{ name: 'id', in: 'path', required: true, schema: { const: 'x' } }],
          responses: { '204': { description: 'Gone' } },
        },
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      },
      '/v1/things': {
        post: {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { type: 'object', properties: {} } } },
          },
          responses: { '201': { description: 'Made' } },
        },
        put: {
          requestBody: { content: { 'application/json': { schema: { type: 'string' } } } },
          responses: {},
        },
      },
    },
    components: {
      schemas: { Error: { type: 'object', properties: {} } },
      responses: {
        Error404: {
          description: `Not found (${'resource.not_found, '.repeat(8)}request.route_not_found)`,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    },
  };

  it('renders every operation by path and method, with the path item parameters it keeps', async () => {
    const source = compact(await render(document));

    expect(source).toContain(
      "'/v1/things/{id}': { /** One thing */ get: { parameters: { path: { id: string; }; " +
        "query?: { verbose?: boolean; }; }; responses: { 200: { content: { 'application/json': " +
        "'thing'; }; }; 404: Components['responses']['Error404']; }; };",
    );
    expect(source).toContain(
      "delete: { parameters: { path: { id: 'x'; }; }; responses: { 204: { content?: never }; }; };",
    );
    expect(source).toContain("post: { requestBody: { content: { 'application/json': Record<");
    expect(source).toContain("put: { requestBody?: { content: { 'application/json': string; }; };");
  });

  it('starts with the header and renders the shared components', async () => {
    const source = await render(document);

    expect(source.startsWith('/**\n * Test header.\n */\n')).toBe(true);
    expect(compact(source)).toContain(
      "Error404: { content: { 'application/json': Components['schemas']['Error']; }; };",
    );
  });

  it('formats the file with the repository settings and wraps long doc comments', async () => {
    const source = await render(document);

    expect(source.split('\n').filter((line) => line.length > 100)).toEqual([]);
    expect(source).toContain('    /**\n     * Not found (resource.not_found,');
    expect(source).not.toContain('"');
  });
});
