import type * as v from 'valibot';
import type { ErrorCode } from '../core/errors';
import type { Handler } from './context';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/**
 * One row of the route table: enough to register the handler and to describe the route in the
 * OpenAPI document from the same schemas the handler validates with.
 */
export interface RouteSpec {
  method: HttpMethod;
  /** itty-router pattern, `:name` for parameters. */
  path: string;
  handler: Handler;
  summary: string;
  /** Capability group (and OpenAPI tag). */
  group: string;
  /** Reachable without the bearer token. */
  isPublic?: boolean;
  body?: v.GenericSchema;
  /** A body the route accepts but does not require. */
  isBodyOptional?: boolean;
  query?: v.GenericSchema;
  /** Success status (200 unless given). */
  status?: number;
  /** Success body; for list routes, the schema of one item. */
  response?: v.GenericSchema;
  /** A list route: plain array by default, envelope with `?envelope=true` or a cursor. */
  isList?: boolean;
  /** Error codes particular to this route (the common ones are documented for every route). */
  errors?: ErrorCode[];
  /** Non-JSON success bodies (downloads, event streams). */
  contentType?: string;
}
