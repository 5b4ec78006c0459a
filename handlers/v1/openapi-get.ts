import type { Handler } from '../context';
import { json } from '../http';
import { buildOpenApiDocument } from '../openapi';
import type { RouteSpec } from '../route-spec';

/** Builds the handler serving the OpenAPI document of the given route table (built once). */
export function createOpenApiHandler(routes: () => RouteSpec[]): Handler {
  let document: Record<string, unknown> | undefined;
  return (_request, { services }) => {
    document ??= buildOpenApiDocument(routes(), services.app.version);
    return json(document);
  };
}
