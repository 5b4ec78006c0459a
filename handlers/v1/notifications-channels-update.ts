import * as v from 'valibot';
import { presentChannel } from '../../core/notify/channels';
import type { Handler } from '../context';
import { json, readJsonBody, validate } from '../http';
import { nonEmptyPatch } from '../schemas';
import {
  ChannelCommonFields,
  ChatChannelConfig,
  EmailChannelConfig,
  requireChannel,
} from './notifications-channels-create';

/** PATCH body: any subset; `config` is replaced whole and must fit the channel's type. */
export const ChannelPatch = nonEmptyPatch(
  v.strictObject(
    {
      ...ChannelCommonFields,
      config: v.optional(v.record(v.string(), v.unknown(), 'must be an object')),
    },
    'is not a channel field that can change (the type cannot)',
  ),
);

/** Changes a channel's name, config, trigger mode, thresholds or active flag. */
export const updateChannel: Handler = async (request, { params, services }) => {
  const body = await readJsonBody(request);

  const channel = requireChannel(services, params.id as string);
  const { config, ...patch } = validate(ChannelPatch, body);
  const typed =
    config === undefined
      ? undefined
      : validate(
          v.object({ config: channel.type === 'email' ? EmailChannelConfig : ChatChannelConfig }),
          { config },
        ).config;

  const next = {
    ...channel,
    ...patch,
    ...(typed ? { config: typed } : {}),
    updated_at: services.clock().toISOString(),
  };
  await services.channels.update(channel.id, next);
  await services.audit.record({
    action: 'notification_channel.updated',
    target: `notifications/channels/${channel.id}`,
    details: { fields: Object.keys(body as object) },
  });

  return json(presentChannel(next, services.settings.read('general')));
};
