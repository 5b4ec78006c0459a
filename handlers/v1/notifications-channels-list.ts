import { presentChannel } from '../../core/notify/channels';
import type { Handler } from '../context';
import { listResponse, readPage } from '../http';

/** Lists notification channels, oldest first. */
export const listChannels: Handler = (_request, { query, services }) => {
  const { page, envelope } = readPage(query);

  const result = services.channels.listPage(page);
  const general = services.settings.read('general');

  return listResponse(
    { ...result, items: result.items.map((channel) => presentChannel(channel, general)) },
    page.limit,
    envelope,
  );
};
