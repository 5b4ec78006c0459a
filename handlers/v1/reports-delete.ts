import type { Handler } from '../context';

/** Deletes a report: its row and its file. */
export const deleteReport: Handler = async (_request, { params, services }) => {
  const id = params.id as string;

  await services.reports.remove(id);
  await services.audit.record({ action: 'report.deleted', target: `reports/${id}` });

  return new Response(null, { status: 204 });
};
