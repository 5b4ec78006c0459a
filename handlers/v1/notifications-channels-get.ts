import { presentChannel } from '../../core/notify/channels';
import type { Handler } from '../context';
import { json } from '../http';
import { requireChannel } from './notifications-channels-create';

/** Returns one notification channel with its last delivery. */
export const getChannel: Handler = (_request, { params, services }) => {
  const channel = requireChannel(services, params.id as string);

  return json(presentChannel(channel, services.settings.read('general')));
};
