import * as v from 'valibot';
import { SUPPORTED_CURRENCIES } from '../../core/pricing/currency';
import { NOTIFICATION_TRIGGER_MODES } from '../../core/settings';
import type { Handler } from '../context';
import { json, readJsonBody, validate } from '../http';
import { boundedInteger, nonEmptyPatch } from '../schemas';

const OVERRIDABLE_CURRENCIES = SUPPORTED_CURRENCIES.filter((code) => code !== 'USD');

/** PATCH body: any subset of the general settings, at least one field. */
export const GeneralSettingsPatch = nonEmptyPatch(
  v.strictObject(
    {
      currency: v.optional(
        v.picklist(SUPPORTED_CURRENCIES, `must be one of ${SUPPORTED_CURRENCIES.join(', ')}`),
      ),
      api_timeout_seconds: v.optional(boundedInteger(1, 600)),
      notification_trigger_mode: v.optional(
        v.picklist(
          NOTIFICATION_TRIGGER_MODES,
          `must be one of ${NOTIFICATION_TRIGGER_MODES.join(', ')}`,
        ),
      ),
      currency_rates: v.optional(
        v.record(
          // Prices are kept in USD, so its rate is 1 by definition and cannot be overridden.
          v.picklist(OVERRIDABLE_CURRENCIES, 'must be a supported currency code other than USD'),
          v.pipe(
            v.number('must be a number'),
            // Units per USD: the strongest currency is near 0.3, the weakest in the table
            // near 1,400; anything outside this band is a typo, and would wreck every total.
            v.minValue(0.0001, 'must be between 0.0001 and 1000000 units per USD'),
            v.maxValue(1_000_000, 'must be between 0.0001 and 1000000 units per USD'),
          ),
        ),
      ),
    },
    'is not a general setting',
  ),
);

/** Changes general settings and returns the whole document. */
export const updateGeneralSettings: Handler = async (request, { services }) => {
  const body = await readJsonBody(request);

  const patch = validate(GeneralSettingsPatch, body);

  const next = { ...services.settings.read('general'), ...patch };
  await services.settings.write('general', next);
  await services.audit.record({
    action: 'settings.updated',
    target: 'settings/general',
    details: patch,
  });

  return json(next);
};
