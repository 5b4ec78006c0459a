import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { Exchange } from './recording-proxy';

type OpenApi = {
  paths: Record<
    string,
    Record<
      string,
      { responses: Record<string, { $ref?: string; content?: Record<string, unknown> }> }
    >
  >;
  components: { responses: Record<string, { content?: Record<string, unknown> }> };
};

/** A mismatch between an answer and the OpenAPI document. */
export interface SchemaProblem {
  exchange: string;
  problem: string;
}

/**
 * Checks recorded exchanges against an OpenAPI document: each must hit a documented operation and
 * a documented status, and a JSON body must match that status's schema.
 */
export function checkExchanges(
  document: OpenApi,
  exchanges: Exchange[],
): { checked: number; problems: SchemaProblem[] } {
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  addFormats(ajv);
  ajv.addSchema({ ...document, $id: 'cws-openapi' });
  const operations = Object.entries(document.paths).map(([template, methods]) => ({
    template,
    regex: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    methods,
  }));
  const problems: SchemaProblem[] = [];
  let checked = 0;
  for (const exchange of exchanges) {
    const label = `${exchange.method} ${exchange.path} → ${exchange.status}`;
    const operation = operations.find(
      (op) => op.regex.test(exchange.path) && op.methods[exchange.method.toLowerCase()],
    );
    if (!operation) {
      if (exchange.status !== 404 && exchange.status !== 405)
        problems.push({ exchange: label, problem: 'no documented operation' });
      continue;
    }
    const method = exchange.method.toLowerCase();
    const responses = operation.methods[method]!.responses;
    const declared = responses[String(exchange.status)];
    if (!declared) {
      problems.push({
        exchange: label,
        problem: `status not documented (has ${Object.keys(responses).join(', ')})`,
      });
      continue;
    }
    if (!exchange.body) continue;
    const pointer = declared.$ref
      ? `cws-openapi#/components/responses/${declared.$ref.split('/').pop()}/content/application~1json/schema`
      : `cws-openapi#/paths/${escape(operation.template)}/${method}/responses/${exchange.status}/content/application~1json/schema`;
    const hasSchema = declared.$ref ? true : Boolean(declared.content?.['application/json']);
    if (!hasSchema) {
      problems.push({ exchange: label, problem: 'JSON body but no JSON schema documented' });
      continue;
    }
    const validate = ajv.getSchema(pointer) ?? ajv.compile({ $ref: pointer });
    checked += 1;
    if (!validate(JSON.parse(exchange.body))) {
      problems.push({ exchange: label, problem: ajv.errorsText(validate.errors) });
    }
  }
  return { checked, problems };
}

function escape(template: string): string {
  return template.replace(/~/g, '~0').replace(/\//g, '~1');
}
