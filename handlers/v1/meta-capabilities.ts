import * as v from 'valibot';
import { PROVIDER_CHECKS } from '../../core/providers/catalogue';
import { PROVIDERS } from '../../core/model';
import type { Handler } from '../context';
import { json } from '../http';
import type { RouteSpec } from '../route-spec';

/** What this binary can do: providers with their checks, and route groups. */
export const CapabilitiesResponse = v.object({
  api_version: v.literal('v1'),
  app_version: v.string(),
  generated_at: v.string(),
  providers: v.array(
    v.object({
      id: v.string(),
      status: v.picklist(['available', 'unavailable']),
      checks: v.array(v.string()),
    }),
  ),
  groups: v.array(
    v.object({ name: v.string(), status: v.literal('available'), routes: v.array(v.string()) }),
  ),
});

/** Builds the capabilities handler over the route table it describes. */
export function createCapabilitiesHandler(routes: () => RouteSpec[]): Handler {
  return (_request, { services }) => {
    const groups = new Map<string, string[]>();
    for (const route of routes()) {
      const list = groups.get(route.group) ?? [];
      list.push(`${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`);
      groups.set(route.group, list);
    }
    return json({
      api_version: 'v1',
      app_version: services.app.version,
      generated_at: services.clock().toISOString(),
      providers: PROVIDERS.map((id) => ({
        id,
        status: services.availableProviders.includes(id) ? 'available' : 'unavailable',
        checks: PROVIDER_CHECKS[id],
      })),
      groups: [...groups].map(([name, list]) => ({ name, status: 'available', routes: list })),
    });
  };
}
