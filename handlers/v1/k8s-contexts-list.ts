import * as v from 'valibot';
import type { Handler } from '../context';
import { json, queryObject, validate } from '../http';

/** Query of GET /v1/k8s/contexts: the kubeconfig to read (default `KUBECONFIG`, then ~/.kube/config). */
export const K8sContextsQuery = v.object({
  path: v.optional(
    v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(4096)),
  ),
});

/** One context: names only, never credentials or server addresses. */
export const K8sContextSchema = v.object({
  name: v.string(),
  cluster: v.nullable(v.string()),
  namespace: v.nullable(v.string()),
  user: v.nullable(v.string()),
});

/** The contexts of a kubeconfig. */
export const K8sContextsResponse = v.object({
  path: v.string(),
  current_context: v.nullable(v.string()),
  contexts: v.array(K8sContextSchema),
});

/** Lists a kubeconfig's contexts, read from the file itself (kubectl is not needed). */
export const listK8sContexts: Handler = (_request, { query, services }) => {
  const input = queryObject(query);

  const { path } = validate(K8sContextsQuery, { path: input.path });

  const listing = services.kubeContexts(path);

  return json(listing);
};
