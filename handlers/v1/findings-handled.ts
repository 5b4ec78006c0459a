import * as v from 'valibot';
import { presentFinding } from '../../core/scan/present';
import type { Handler } from '../context';
import { json, readJsonBody, validate } from '../http';
import { requireFinding } from './findings-get';

/** Optional body: `handled: false` reopens the finding; a short note goes to the audit log. */
export const FindingHandledBody = v.strictObject(
  {
    handled: v.optional(v.boolean('must be true or false')),
    note: v.optional(
      v.pipe(v.string('must be a string'), v.maxLength(1000, 'must be at most 1000 characters')),
    ),
  },
  'is not a field of this request',
);

/**
 * Marks a finding handled (or, with `handled: false`, open again). The mark follows the resource
 * into later scans until the resource changes (its fingerprint differs).
 */
export const markFindingHandled: Handler = async (request, { params, services }) => {
  const body = (await readJsonBody(request)) ?? {};

  const { handled = true, note } = validate(FindingHandledBody, body);
  const finding = requireFinding(services, params.id as string);

  if (handled)
    await services.findings.markHandled(
      finding,
      services.findings.fingerprintOf(finding.id) as string,
    );
  else await services.findings.clearHandled(finding);
  await services.audit.record({
    action: handled ? 'finding.handled' : 'finding.reopened',
    target: `findings/${finding.id}`,
    details: {
      rule_id: finding.rule_id,
      resource_id: finding.resource_id,
      ...(note ? { note } : {}),
    },
  });

  return json(presentFinding({ ...finding, handled }, services.settings.read('general')));
};
