import * as v from 'valibot';
import { NOTIFICATION_TRIGGER_MODES } from '../../core/settings';
import type { Handler } from '../context';
import { json } from '../http';

/** `{notification_trigger_mode}`: when notifications go out by default. */
export const NotificationPolicy = v.object({
  notification_trigger_mode: v.picklist(
    NOTIFICATION_TRIGGER_MODES,
    `must be one of ${NOTIFICATION_TRIGGER_MODES.join(', ')}`,
  ),
});

/** Returns the global notification trigger mode. */
export const getNotificationPolicy: Handler = (_request, { services }) => {
  const { notification_trigger_mode } = services.settings.read('general');
  return json({ notification_trigger_mode });
};
