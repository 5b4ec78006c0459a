import { format, resolveConfig } from 'prettier';

/** An OpenAPI 3.1 document as JSON; the renderer reads its `paths` and `components`. */
export type OpenApiInput = Record<string, unknown>;

/** Where the rendered source says it came from, and which file prettier should format it as. */
export interface RenderOptions {
  /** The header's first lines: which script wrote the file and from what. */
  header: string[];
  /** The file the source is written to; its prettier configuration applies. */
  filePath: string;
}

/**
 * Renders an OpenAPI document as TypeScript: `Paths` (every route by path and lower-case method,
 * with its parameters, request body and responses) and `Components` (the shared schemas and
 * responses), formatted with the repository's prettier settings. A schema keyword the renderer
 * does not understand is an error, never a silent `unknown`.
 */
export async function renderOpenApiTypes(
  document: OpenApiInput,
  options: RenderOptions,
): Promise<string> {
  const source = [
    '/**',
    ...options.header.map((line) => ` * ${escapeComment(line)}`.trimEnd()),
    ' */',
    '',
    '/** Every route of the API, by path and lower-case HTTP method. */',
    `export interface Paths ${renderPaths(asRecord(document.paths ?? {}, 'paths'))}`,
    '',
    '/** Schemas and responses the routes share by reference. */',
    `export interface Components ${renderComponents(asRecord(document.components ?? {}, 'components'))}`,
    '',
  ].join('\n');
  const config = (await resolveConfig(options.filePath)) ?? {};
  const formatted = await format(source, { ...config, filepath: options.filePath });
  return wrapLongComments(formatted, config.printWidth ?? 80);
}

/** Prettier leaves comments as they are: one-line doc comments past the width become blocks. */
function wrapLongComments(source: string, width: number): string {
  return source.replace(/^( *)\/\*\* (.*) \*\/$/gm, (line, indent: string, text: string) => {
    if (line.length <= width) return line;
    const lines: string[] = [];
    for (const word of text.split(' ')) {
      const last = lines.length - 1;
      const isRoom = `${indent} * ${lines[last]} ${word}`.length <= width;
      if (last >= 0 && isRoom) lines[last] += ` ${word}`;
      else lines.push(word);
    }
    return [`${indent}/**`, ...lines.map((part) => `${indent} * ${part}`), `${indent} */`].join(
      '\n',
    );
  });
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function renderPaths(paths: Record<string, unknown>): string {
  const entries = Object.entries(paths).map(([path, entry]) => {
    const item = asRecord(entry, path);
    if (item.$ref !== undefined) throw new Error(`${path}: path item references are not supported`);
    const shared = listOf(item.parameters, `${path} parameters`);
    const operations = Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, value]) => {
        const at = `${method.toUpperCase()} ${path}`;
        const operation = asRecord(value, at);
        const rendered = renderOperation(operation, shared, at);
        return `${docComment(operation.summary)}${method}: ${rendered};`;
      });
    return `${propertyKey(path)}: {\n${operations.join('\n')}\n};`;
  });
  return block(entries);
}

/** One operation; parameters of its path item apply unless the operation redefines them. */
function renderOperation(
  operation: Record<string, unknown>,
  shared: unknown[],
  at: string,
): string {
  const members: string[] = [];
  const own = listOf(operation.parameters, `${at} parameters`);
  const key = (parameter: unknown) => {
    const { name, in: place } = asRecord(parameter, `${at} parameter`);
    return `${String(place)} ${String(name)}`;
  };
  const ownKeys = new Set(own.map(key));
  const inherited = shared.filter((parameter) => !ownKeys.has(key(parameter)));
  const parameters = renderParameters([...inherited, ...own], at);
  if (parameters) members.push(`parameters: ${parameters};`);
  if (operation.requestBody !== undefined) {
    const body = asRecord(operation.requestBody, `${at} requestBody`);
    const optional = body.required === true ? '' : '?';
    members.push(`requestBody${optional}: ${renderBody(body, `${at} requestBody`)};`);
  }
  const responses = asRecord(operation.responses ?? {}, `${at} responses`);
  const rendered = Object.entries(responses).map(
    ([status, response]) =>
      `${statusKey(status)}: ${renderBody(asRecord(response, `${at} ${status}`), `${at} ${status}`)};`,
  );
  members.push(`responses: ${block(rendered)};`);
  return block(members);
}

/** Groups parameters by where they travel; a group is optional when none of it is required. */
function renderParameters(parameters: unknown[], at: string): string | undefined {
  const groups = new Map<string, { members: string[]; isRequired: boolean }>();
  for (const entry of parameters) {
    const parameter = asRecord(entry, `${at} parameter`);
    const name = String(parameter.name);
    const place = String(parameter.in);
    const where = `${at} ${place} parameter ${name}`;
    if (parameter.$ref !== undefined)
      throw new Error(`${where}: parameter references are not supported`);
    const isRequired = parameter.required === true || place === 'path';
    const group = groups.get(place) ?? { members: [], isRequired: false };
    group.isRequired ||= isRequired;
    group.members.push(
      `${docComment(parameter.description)}${propertyKey(name)}${isRequired ? '' : '?'}: ${renderSchema(parameter.schema ?? {}, where)};`,
    );
    groups.set(place, group);
  }
  if (groups.size === 0) return undefined;
  return block(
    [...groups].map(
      ([place, group]) => `${place}${group.isRequired ? '' : '?'}: ${block(group.members)};`,
    ),
  );
}

/** A request body or response: a reference, or content by media type. */
function renderBody(body: Record<string, unknown>, at: string): string {
  if (typeof body.$ref === 'string') return renderReference(body.$ref, at);
  if (body.content === undefined) return '{ content?: never }';
  const content = asRecord(body.content, `${at} content`);
  const media = Object.entries(content).map(([type, entry]) => {
    const schema = asRecord(entry, `${at} ${type}`).schema ?? {};
    return `${propertyKey(type)}: ${renderSchema(schema, `${at} ${type}`)};`;
  });
  return `{ content: ${block(media)} }`;
}

function renderComponents(components: Record<string, unknown>): string {
  const sections: string[] = [];
  const schemas = asRecord(components.schemas ?? {}, 'components.schemas');
  sections.push(
    `schemas: ${block(
      Object.entries(schemas).map(
        ([name, schema]) =>
          `${propertyKey(name)}: ${renderSchema(schema, `components.schemas.${name}`)};`,
      ),
    )};`,
  );
  const responses = asRecord(components.responses ?? {}, 'components.responses');
  sections.push(
    `responses: ${block(
      Object.entries(responses).map(([name, response]) => {
        const at = `components.responses.${name}`;
        const record = asRecord(response, at);
        return `${docComment(record.description)}${propertyKey(name)}: ${renderBody(record, at)};`;
      }),
    )};`,
  );
  return block(sections);
}

// JSON Schema (draft 2020-12) to TypeScript -----------------------------------------------------

/** Keywords that narrow values without changing their TypeScript type. */
const ANNOTATIONS = new Set([
  '$comment',
  'contentEncoding',
  'contentMediaType',
  'default',
  'deprecated',
  'description',
  'examples',
  'exclusiveMaximum',
  'exclusiveMinimum',
  'format',
  'maxItems',
  'maxLength',
  'maxProperties',
  'maximum',
  'minItems',
  'minLength',
  'minProperties',
  'minimum',
  'multipleOf',
  'pattern',
  'readOnly',
  'title',
  'uniqueItems',
  'writeOnly',
]);

const STRUCTURE = new Set([
  '$ref',
  'additionalProperties',
  'allOf',
  'anyOf',
  'const',
  'enum',
  'items',
  'oneOf',
  'properties',
  'propertyNames',
  'required',
  'type',
]);

/** One JSON Schema as a TypeScript type; `at` names the place for error messages. */
export function renderSchema(schema: unknown, at: string): string {
  if (schema === true) return 'unknown';
  if (schema === false) return 'never';
  const node = asRecord(schema, at);
  const unknownKeyword = Object.keys(node).find(
    (key) => !ANNOTATIONS.has(key) && !STRUCTURE.has(key),
  );
  if (unknownKeyword) throw new Error(`${at}: unsupported JSON Schema keyword "${unknownKeyword}"`);

  if (typeof node.$ref === 'string') return renderReference(node.$ref, at);
  if ('const' in node) return literal(node.const, at);
  if (node.enum !== undefined) {
    if (!Array.isArray(node.enum)) throw new Error(`${at}: enum is not a list`);
    return union(node.enum.map((value) => literal(value, at)));
  }
  const combined = ['anyOf', 'oneOf', 'allOf'].filter((key) => node[key] !== undefined);
  if (combined.length > 0) return renderCombination(node, combined, at);

  const types = node.type === undefined ? [] : [node.type].flat();
  if (types.length === 0) {
    const isObjectLike = node.properties !== undefined || node.additionalProperties !== undefined;
    return isObjectLike ? renderObject(node, at) : 'unknown';
  }
  return union(types.map((type) => renderTyped(String(type), node, at)));
}

/** `anyOf` and `oneOf` are unions (TypeScript cannot say "exactly one"); `allOf` intersects. */
function renderCombination(node: Record<string, unknown>, keys: string[], at: string): string {
  const sibling = ['type', 'properties', 'items', 'additionalProperties'].find(
    (key) => node[key] !== undefined,
  );
  if (sibling || keys.length > 1) {
    throw new Error(`${at}: ${keys.join(' and ')} beside "${sibling ?? keys[1]}" is not supported`);
  }
  const key = keys[0] as string;
  const members = node[key];
  if (!Array.isArray(members)) throw new Error(`${at}: ${key} is not a list`);
  const rendered = members.map((member, index) => renderSchema(member, `${at} ${key}[${index}]`));
  return key === 'allOf' ? intersection(rendered) : union(rendered);
}

function renderTyped(type: string, node: Record<string, unknown>, at: string): string {
  switch (type) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      return node.items === undefined
        ? 'unknown[]'
        : `${parenthesize(renderSchema(node.items, `${at} items`))}[]`;
    case 'object':
      return renderObject(node, at);
    default:
      throw new Error(`${at}: unknown JSON Schema type "${type}"`);
  }
}

/**
 * Objects list their properties; an absent `additionalProperties` is read as a closed object (the
 * server's schemas name every field they return), a schema there as an index signature.
 */
function renderObject(node: Record<string, unknown>, at: string): string {
  const properties = asRecord(node.properties ?? {}, `${at} properties`);
  const required = new Set(Array.isArray(node.required) ? node.required.map(String) : []);
  const extra = node.additionalProperties;
  const keys = keyConstraint(node.propertyNames, `${at} propertyNames`);
  const members = Object.entries(properties).map(([name, property]) => {
    const optional = required.has(name) ? '' : '?';
    const type = renderSchema(property, `${at}.${name}`);
    return `${docComment(describe(property))}${propertyKey(name)}${optional}: ${type};`;
  });
  if (extra === undefined || extra === false) {
    return members.length > 0 ? block(members) : 'Record<string, never>';
  }
  if (members.length > 0) {
    // A property's type must fit the index signature; `unknown` is the one that always does.
    return block([...members, '[key: string]: unknown;']);
  }
  const value = renderSchema(extra, `${at} additionalProperties`);
  return keys ? `{ [K in ${keys}]?: ${value} }` : `{ [key: string]: ${value} }`;
}

/** The key union of a record whose keys are an enumeration; undefined for any string. */
function keyConstraint(propertyNames: unknown, at: string): string | undefined {
  if (propertyNames === undefined) return undefined;
  const node = asRecord(propertyNames, at);
  if (node.enum !== undefined || node.const !== undefined) return renderSchema(node, at);
  if (node.type === 'string') return undefined;
  throw new Error(`${at}: only string or enumerated property names are supported`);
}

function renderReference(reference: string, at: string): string {
  const match = /^#\/components\/(\w+)\/([^/]+)$/.exec(reference);
  if (!match) throw new Error(`${at}: unsupported reference "${reference}"`);
  return `Components[${quote(match[1] as string)}][${quote(match[2] as string)}]`;
}

// Text helpers --------------------------------------------------------------------------------

function literal(value: unknown, at: string): string {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
    return typeof value === 'string' ? quote(value) : String(value);
  }
  throw new Error(`${at}: only string, number, boolean and null literals are supported`);
}

function union(members: string[]): string {
  const unique = [...new Set(members)];
  if (unique.length === 0) return 'never';
  // `|` is associative and binds looser than `&`, so members need no parentheses.
  return unique.length === 1 ? (unique[0] as string) : unique.join(' | ');
}

function intersection(members: string[]): string {
  if (members.length === 0) return 'unknown';
  return members.length === 1 ? (members[0] as string) : members.map(parenthesize).join(' & ');
}

/** Wraps a union or intersection so that `[]`, `|` and `&` bind as written. */
function parenthesize(type: string): string {
  return topLevelOperator(type) ? `(${type})` : type;
}

function topLevelOperator(type: string): boolean {
  let depth = 0;
  let quoteChar: string | undefined;
  for (let index = 0; index < type.length; index += 1) {
    const char = type[index] as string;
    if (quoteChar) {
      if (char === '\\') index += 1;
      else if (char === quoteChar) quoteChar = undefined;
    } else if (char === "'" || char === '"') quoteChar = char;
    else if ('{[(<'.includes(char)) depth += 1;
    else if ('}])>'.includes(char)) depth -= 1;
    else if (depth === 0 && (char === '|' || char === '&')) return true;
  }
  return false;
}

function block(members: string[]): string {
  return members.length === 0 ? '{}' : `{\n${members.join('\n')}\n}`;
}

function propertyKey(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : quote(name);
}

/** Status codes are numeric keys, as in `Paths['/x']['get']['responses'][200]`. */
function statusKey(status: string): string {
  return /^[1-5]\d\d$/.test(status) ? status : quote(status);
}

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

function describe(schema: unknown): unknown {
  return typeof schema === 'object' && schema !== null
    ? (schema as { description?: unknown }).description
    : undefined;
}

function docComment(text: unknown): string {
  if (typeof text !== 'string' || text.trim() === '') return '';
  return `/** ${escapeComment(text.trim().replace(/\s+/g, ' '))} */\n`;
}

function escapeComment(text: string): string {
  return text.replace(/\*\//g, '*\\/');
}

function listOf(value: unknown, at: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`${at}: expected a list`);
  return value;
}

function asRecord(value: unknown, at: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${at}: expected an object`);
  }
  return value as Record<string, unknown>;
}
