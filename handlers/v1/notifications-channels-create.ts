import * as v from 'valibot';
import { CwsError } from '../../core/errors';
import { newId } from '../../core/ids';
import {
  CHANNEL_TYPES,
  presentChannel,
  type NotificationChannel,
} from '../../core/notify/channels';
import { CHAT_CHANNEL_TYPES } from '../../core/notify/chat';
import { isEmailAddress, MAX_EMAIL_RECIPIENTS } from '../../core/notify/email';
import { NOTIFICATION_TRIGGER_MODES } from '../../core/notify/policy';
import type { Handler, Services } from '../context';
import { json, readJsonBody, validate } from '../http';

/** Where a Slack, Teams or generic webhook channel posts. */
export const ChatChannelConfig = v.strictObject(
  {
    url: v.pipe(
      v.string('must be a URL'),
      v.trim(),
      v.maxLength(2048, 'must be at most 2048 characters'),
      v.url('must be a URL'),
      v.regex(/^https?:\/\//i, 'must be an https (or http) URL'),
    ),
  },
  'is not a field of a chat channel config (only url)',
);

/** Who an e-mail channel writes to (through the SMTP settings). */
export const EmailChannelConfig = v.strictObject(
  {
    recipients: v.pipe(
      v.array(
        v.pipe(
          v.string('must be a string'),
          v.trim(),
          v.check(isEmailAddress, 'must be an e-mail address'),
        ),
        'must be a list of addresses',
      ),
      v.minLength(1, 'must list at least one address'),
      v.maxLength(MAX_EMAIL_RECIPIENTS, `must list at most ${MAX_EMAIL_RECIPIENTS} addresses`),
    ),
  },
  'is not a field of an e-mail channel config (only recipients)',
);

/** The fields every channel type shares; null trigger_mode follows the global mode. */
export const ChannelCommonFields = {
  name: v.optional(
    v.pipe(
      v.string('must be a string'),
      v.trim(),
      v.minLength(1, 'must not be empty'),
      v.maxLength(100),
    ),
  ),
  trigger_mode: v.optional(
    v.nullable(
      v.picklist(
        NOTIFICATION_TRIGGER_MODES,
        `must be one of ${NOTIFICATION_TRIGGER_MODES.join(', ')} (or null for the global mode)`,
      ),
    ),
  ),
  min_savings: v.optional(
    v.nullable(v.pipe(v.number('must be a number'), v.minValue(0, 'must be 0 or more'))),
  ),
  min_findings: v.optional(
    v.nullable(
      v.pipe(
        v.number('must be a number'),
        v.integer('must be a whole number'),
        v.minValue(0, 'must be 0 or more'),
      ),
    ),
  ),
  is_active: v.optional(v.boolean('must be true or false')),
};

/** POST /v1/notifications/channels body: the config's shape follows the type. */
export const ChannelCreateBody = v.variant(
  'type',
  [
    v.strictObject(
      { type: v.literal('email'), config: EmailChannelConfig, ...ChannelCommonFields },
      'is not a channel field',
    ),
    v.strictObject(
      { type: v.picklist(CHAT_CHANNEL_TYPES), config: ChatChannelConfig, ...ChannelCommonFields },
      'is not a channel field',
    ),
  ],
  `type must be one of ${CHANNEL_TYPES.join(', ')}`,
);

/** A channel as the API returns it. */
export const ChannelSchema = v.object({
  id: v.string(),
  type: v.picklist(CHANNEL_TYPES),
  name: v.string(),
  config: v.object({
    recipients: v.optional(v.array(v.string())),
    url_masked: v.optional(v.string()),
  }),
  trigger_mode: v.nullable(v.picklist(NOTIFICATION_TRIGGER_MODES)),
  effective_trigger_mode: v.picklist(NOTIFICATION_TRIGGER_MODES),
  min_savings: v.nullable(v.number()),
  min_findings: v.nullable(v.number()),
  is_active: v.boolean(),
  created_at: v.string(),
  updated_at: v.string(),
  last_delivery: v.nullable(
    v.object({
      scan_id: v.string(),
      status: v.picklist(['delivered', 'failed']),
      at: v.string(),
      reason_code: v.string(),
      message: v.string(),
      duration_ms: v.number(),
      status_code: v.optional(v.number()),
    }),
  ),
});

const TYPE_NAMES = { email: 'E-mail', slack: 'Slack', teams: 'Teams', webhook: 'Webhook' };

/** Adds a notification channel. */
export const createChannel: Handler = async (request, { services }) => {
  const body = await readJsonBody(request);

  const input = validate(ChannelCreateBody, body);

  const now = services.clock().toISOString();
  const channel: NotificationChannel = {
    id: newId('nch', Date.parse(now)),
    type: input.type,
    name: input.name ?? `${TYPE_NAMES[input.type]} channel`,
    config: input.config,
    trigger_mode: input.trigger_mode ?? null,
    min_savings: input.min_savings ?? null,
    min_findings: input.min_findings ?? null,
    is_active: input.is_active ?? true,
    created_at: now,
    updated_at: now,
    last_delivery: null,
  };
  await services.channels.create(channel);
  await services.audit.record({
    action: 'notification_channel.created',
    target: `notifications/channels/${channel.id}`,
    details: { type: channel.type, name: channel.name },
  });

  return json(presentChannel(channel, services.settings.read('general')), 201, {
    location: `/v1/notifications/channels/${channel.id}`,
  });
};

/** The stored channel or resource.not_found. */
export function requireChannel(services: Services, id: string): NotificationChannel {
  const channel = services.channels.get(id);
  if (!channel) throw new CwsError('resource.not_found', `no notification channel ${id}`);
  return channel;
}
