import { presentFinding } from '../../core/scan/present';
import type { Handler } from '../context';
import { json } from '../http';
import { requireFinding } from './findings-get';

/**
 * Marks a finding handled. The mark follows the resource into later scans until the resource
 * changes (its fingerprint differs).
 */
export const markFindingHandled: Handler = async (_request, { params, services }) => {
  const finding = requireFinding(services, params.id as string);

  await services.findings.markHandled(
    finding,
    services.findings.fingerprintOf(finding.id) as string,
  );
  await services.audit.record({
    action: 'finding.handled',
    target: `findings/${finding.id}`,
    details: { rule_id: finding.rule_id, resource_id: finding.resource_id },
  });

  return json(presentFinding({ ...finding, handled: true }, services.settings.read('general')));
};
