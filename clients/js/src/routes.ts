/**
 * The routes of the generated OpenAPI types as the client calls them: a path template and method
 * the document must have, the body it accepts and the JSON its success answer carries. Calling a
 * route the server no longer serves, or declaring a return type the route does not answer with,
 * is a compile error.
 */
import type { Paths } from './generated/openapi.js';

/** A path template of the document (`/v1/scans/{id}`). */
export type Route = keyof Paths;

/** The upper-case methods the document lists for a route. */
export type MethodOf<P extends Route> = Uppercase<Extract<keyof Paths[P], string>>;

/** One operation of the document. */
export type OperationOf<P extends Route, M extends string> = Paths[P][Lowercase<M> &
  keyof Paths[P]];

/** One string per `{placeholder}` of a path template, in order. */
export type PathValues<P extends string> = P extends `${string}{${string}}${infer Rest}`
  ? [string, ...PathValues<Rest>]
  : [];

/** The JSON body of a request or response; `undefined` when it has none. */
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : undefined;

/** What an operation accepts as its JSON body (`undefined` where it takes none). */
export type BodyOf<O> = O extends { requestBody: infer B }
  ? JsonOf<B>
  : O extends { requestBody?: infer B }
    ? JsonOf<NonNullable<B>> | undefined
    : undefined;

/** The JSON of an operation's success answers (`undefined` for 204 and non-JSON answers). */
export type SuccessOf<O> = O extends { responses: infer R }
  ? JsonOf<R[Extract<keyof R, 200 | 201 | 202 | 204>]>
  : never;

/** Routes whose GET answers with a list (a plain array, or an envelope on request). */
export type ListRoute = {
  [P in Route]: [ArrayItem<SuccessOf<OperationOf<P, 'GET'>>>] extends [never] ? never : P;
}[Route];

/** One item of a list route's answer. */
export type ItemOf<P extends ListRoute> = ArrayItem<SuccessOf<OperationOf<P, 'GET'>>>;

/** The item type of the array members of a union. */
type ArrayItem<T> = T extends readonly (infer I)[] ? I : never;

/** Fills a path template's placeholders, in order, with URL-encoded values. */
export function fillPath(template: string, values: readonly string[]): string {
  let index = 0;
  return template.replace(/\{[^}]+\}/g, (placeholder) => {
    const value = values[index++];
    if (value === undefined) throw new TypeError(`${template}: no value for ${placeholder}`);
    return encodeURIComponent(value);
  });
}
