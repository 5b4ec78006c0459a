import type { Handler } from '../context';

/** Deletes a cloud account and its sealed credentials; past scans keep their findings. */
export const deleteCloudAccount: Handler = async (_request, { params, services }) => {
  const id = params.id as string;

  await services.cloudAccounts.remove(id);

  return new Response(null, { status: 204 });
};
