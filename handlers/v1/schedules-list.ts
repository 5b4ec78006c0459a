import type { Handler } from '../context';
import { listResponse, readPage } from '../http';
import { presentSchedule } from './schedules-get';

/** Lists schedules, oldest first. */
export const listSchedules: Handler = (_request, { query, services }) => {
  const { page, envelope } = readPage(query);

  const result = services.schedules.list(page);

  return listResponse(
    { ...result, items: result.items.map(presentSchedule) },
    page.limit,
    envelope,
  );
};
