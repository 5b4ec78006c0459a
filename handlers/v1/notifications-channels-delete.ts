import type { Handler } from '../context';
import { requireChannel } from './notifications-channels-create';

/** Deletes a notification channel. */
export const deleteChannel: Handler = async (_request, { params, services }) => {
  const channel = requireChannel(services, params.id as string);

  await services.channels.delete(channel.id);
  await services.audit.record({
    action: 'notification_channel.deleted',
    target: `notifications/channels/${channel.id}`,
  });

  return new Response(null, { status: 204 });
};
