import * as v from 'valibot';
import { proxyUrlProblem } from '../../core/accounts/proxies';
import type { Handler } from '../context';
import { json, readJsonBody, validate } from '../http';

/** A proxy URL: `http(s)://host:port`, credentials apart. */
export const ProxyUrl = v.pipe(
  v.string('must be a string'),
  v.trim(),
  v.check(
    (text) => proxyUrlProblem(text) === undefined,
    (issue) => proxyUrlProblem(String(issue.input)) ?? 'must be a proxy URL',
  ),
);

/** Fields of a proxy profile; `null` clears username or password on update. */
export const ProxyFields = {
  name: v.pipe(
    v.string('must be a string'),
    v.trim(),
    v.minLength(1, 'must not be empty'),
    v.maxLength(256, 'must be at most 256 characters'),
  ),
  url: ProxyUrl,
  username: v.optional(
    v.nullable(v.pipe(v.string('must be a string'), v.maxLength(256, 'is too long'))),
  ),
  password: v.optional(
    v.nullable(v.pipe(v.string('must be a string'), v.maxLength(1024, 'is too long'))),
  ),
};

/** POST /v1/proxies body; the password is write-only. */
export const ProxyCreateBody = v.strictObject(ProxyFields, 'is not a proxy field');

/** A proxy profile as every route returns it: `has_password`, never the password. */
export const ProxySchema = v.object({
  id: v.string(),
  name: v.string(),
  url: v.string(),
  username: v.nullable(v.string()),
  has_password: v.boolean(),
  created_at: v.string(),
  updated_at: v.string(),
});

/** Creates a proxy profile (password sealed); answers 201. */
export const createProxy: Handler = async (request, { services }) => {
  const body = await readJsonBody(request);

  const input = validate(ProxyCreateBody, body);

  const proxy = await services.proxies.create(input);

  return json(proxy, 201, { location: `/v1/proxies/${proxy.id}` });
};
