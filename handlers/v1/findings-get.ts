import { CwsError } from '../../core/errors';
import { presentFinding } from '../../core/scan/present';
import type { Handler, Services } from '../context';
import { json } from '../http';

/** Returns one finding. */
export const getFinding: Handler = (_request, { params, services }) => {
  return json(
    presentFinding(
      requireFinding(services, params.id as string),
      services.settings.read('general'),
    ),
  );
};

/** The stored finding or resource.not_found. */
export function requireFinding(services: Services, id: string) {
  const finding = services.findings.get(id);
  if (!finding) throw new CwsError('resource.not_found', `no finding ${id}`);
  return finding;
}
