import * as v from 'valibot';
import type { Handler } from '../context';
import { json, readJsonBody, validate } from '../http';
import { nonEmptyPatch } from '../schemas';
import { ProxyFields } from './proxies-create';

/** PATCH body: any proxy field; `null` clears username or password. */
export const ProxyPatchBody = nonEmptyPatch(
  v.strictObject(
    { ...ProxyFields, name: v.optional(ProxyFields.name), url: v.optional(ProxyFields.url) },
    'is not a proxy field',
  ),
);

/** Changes a proxy profile; accounts using it pick the change up at their next scan. */
export const updateProxy: Handler = async (request, { params, services }) => {
  const body = await readJsonBody(request);

  const patch = validate(ProxyPatchBody, body);

  const proxy = await services.proxies.update(params.id as string, patch);

  return json(proxy);
};
