import * as v from 'valibot';
import type { Handler } from '../context';
import { json, readJsonBody, validate } from '../http';

const Text = v.pipe(
  v.string('must be a string'),
  v.trim(),
  v.minLength(1, 'must not be empty'),
  v.maxLength(4096),
);
const Namespace = v.pipe(
  v.string('must be a string'),
  v.regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a namespace name (a DNS label)'),
);

/**
 * POST /v1/k8s/scans body. Both fields may be left out: the kubeconfig then defaults to
 * `KUBECONFIG` or ~/.kube/config, the context to its current-context. `path` and `context` are
 * accepted as aliases; giving an alias and its field with different values is refused.
 */
export const K8sScanCreateBody = v.pipe(
  v.strictObject(
    {
      kubeconfig_path: v.optional(Text),
      kube_context: v.optional(Text),
      path: v.optional(Text),
      context: v.optional(Text),
      namespaces: v.optional(v.pipe(v.array(Namespace), v.maxLength(500))),
    },
    'is not a Kubernetes scan field',
  ),
  v.forward(
    v.check(
      (body) => !body.path || !body.kubeconfig_path || body.path === body.kubeconfig_path,
      'must match kubeconfig_path when both are given',
    ),
    ['path'],
  ),
  v.forward(
    v.check(
      (body) => !body.context || !body.kube_context || body.context === body.kube_context,
      'must match kube_context when both are given',
    ),
    ['context'],
  ),
);

/** The accepted answer. */
export const K8sScanAccepted = v.object({
  scan_id: v.string(),
  status: v.literal('queued'),
  message: v.string(),
  account_id: v.string(),
});

/** Queues a scan of one cluster context through the local kubectl (read-only) and answers 202. */
export const createK8sScan: Handler = async (request, { services }) => {
  const body = (await readJsonBody(request)) ?? {};

  const input = validate(K8sScanCreateBody, body);
  const kubeconfigPath = input.kubeconfig_path ?? input.path;
  const kubeContext = input.kube_context ?? input.context;

  const scan = await services.scans.start(
    {
      include_kubernetes: true,
      ...(kubeconfigPath ? { kubeconfig_path: kubeconfigPath } : {}),
      ...(kubeContext ? { kube_context: kubeContext } : {}),
      ...(input.namespaces?.length ? { namespaces: input.namespaces } : {}),
    },
    'api',
  );

  const accountId = scan.selected_accounts.find((id) => id.startsWith('k8s_')) ?? '';
  return json(
    {
      scan_id: scan.id,
      status: scan.status,
      message: `Kubernetes scan of ${accountId} queued; poll GET /v1/scans/${scan.id}, then GET /v1/k8s/findings`,
      account_id: accountId,
    },
    202,
    { location: `/v1/scans/${scan.id}` },
  );
};
