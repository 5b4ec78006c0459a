import * as v from 'valibot';
import type { Handler } from '../context';
import { json, readJsonBody, validate } from '../http';
import { NotificationPolicy } from './notifications-policy-get';

/** PATCH body: the mode, which is the policy's only field. */
export const NotificationPolicyPatch = v.strictObject(
  NotificationPolicy.entries,
  'is not a policy field',
);

/** Sets scan_complete or waste_only; anything else is a validation failure. */
export const updateNotificationPolicy: Handler = async (request, { services }) => {
  const body = await readJsonBody(request);

  const { notification_trigger_mode } = validate(NotificationPolicyPatch, body);

  const general = services.settings.read('general');
  await services.settings.write('general', { ...general, notification_trigger_mode });
  await services.audit.record({
    action: 'settings.updated',
    target: 'notifications/policy',
    details: { notification_trigger_mode },
  });

  return json({ notification_trigger_mode });
};
