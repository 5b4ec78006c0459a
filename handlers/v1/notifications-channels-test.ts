import * as v from 'valibot';
import { testNotificationChannel } from '../../core/notify/channels';
import type { Handler } from '../context';
import { json } from '../http';
import { requireChannel } from './notifications-channels-create';

/** What a channel test reports: how far the message got and why it stopped. */
export const ChannelTestResponse = v.object({
  channel_id: v.string(),
  type: v.string(),
  ok: v.boolean(),
  stage: v.picklist(['validate', 'connect', 'auth', 'send']),
  reason_code: v.string(),
  duration_ms: v.number(),
  status_code: v.optional(v.number()),
  message: v.string(),
});

/** Sends a test message through the channel; never starts a scan, so never counts toward quota. */
export const testChannelDelivery: Handler = async (_request, { params, services }) => {
  const channel = requireChannel(services, params.id as string);

  const { api_timeout_seconds } = services.settings.read('general');
  const result = await testNotificationChannel(channel, {
    smtp: services.smtp.resolve(),
    timeoutMs: api_timeout_seconds * 1000,
    now: services.clock(),
  });

  return json({ channel_id: channel.id, type: channel.type, ...result });
};
