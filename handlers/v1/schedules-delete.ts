import type { Handler } from '../context';

/** Deletes a schedule; scans it started stay. */
export const deleteSchedule: Handler = async (_request, { params, services }) => {
  const id = params.id as string;

  await services.schedules.remove(id);

  return new Response(null, { status: 204 });
};
