import * as v from 'valibot';
import type { Handler } from '../context';
import { json } from '../http';
import { buildOpenApiDocument } from '../openapi';
import type { RouteSpec } from '../route-spec';

/** The document's outer shape (its own contents are described by the OpenAPI 3.1 schema). */
export const OpenApiDocumentSchema = v.looseObject({
  openapi: v.literal('3.1.0'),
  info: v.looseObject({ title: v.string(), version: v.string() }),
  paths: v.record(v.string(), v.record(v.string(), v.unknown())),
  components: v.record(v.string(), v.unknown()),
});

/** Builds the handler serving the OpenAPI document of the given route table (built once). */
export function createOpenApiHandler(routes: () => RouteSpec[]): Handler {
  let document: Record<string, unknown> | undefined;
  return (_request, { services }) => {
    document ??= buildOpenApiDocument(routes(), services.app.version);
    return json(document);
  };
}
