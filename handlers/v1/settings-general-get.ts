import * as v from 'valibot';
import { SUPPORTED_CURRENCIES } from '../../core/pricing/currency';
import { NOTIFICATION_TRIGGER_MODES } from '../../core/settings';
import type { Handler } from '../context';
import { json } from '../http';

/** The general settings document. */
export const GeneralSettingsResponse = v.object({
  currency: v.picklist(SUPPORTED_CURRENCIES),
  api_timeout_seconds: v.number(),
  notification_trigger_mode: v.picklist(NOTIFICATION_TRIGGER_MODES),
  currency_rates: v.record(v.string(), v.number()),
});

/** Returns currency, per-call timeout, notification mode and rate overrides. */
export const getGeneralSettings: Handler = (_request, { services }) => {
  return json(services.settings.read('general'));
};
