import type { Handler } from '../context';

/** Deletes a proxy profile no cloud account uses (409 resource.conflict otherwise). */
export const deleteProxy: Handler = async (_request, { params, services }) => {
  const id = params.id as string;

  await services.proxies.remove(id);

  return new Response(null, { status: 204 });
};
