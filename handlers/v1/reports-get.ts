import { CwsError } from '../../core/errors';
import type { Handler } from '../context';
import { json } from '../http';
import { presentReport } from './reports-generate';

/** Returns one report's metadata. */
export const getReport: Handler = (_request, { params, services }) => {
  const id = params.id as string;

  const report = services.reports.get(id);
  if (!report) throw new CwsError('resource.not_found', `no report ${id}`);

  return json(presentReport(report));
};
