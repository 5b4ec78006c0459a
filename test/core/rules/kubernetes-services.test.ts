import { describe, expect, it } from 'bun:test';
import { quoteUsage } from '../../../core/pricing/price';
import { KUBERNETES_PRICES } from '../../../core/pricing/tables/kubernetes';
import { endpointSlice, hoursAgo, node, service } from '../../fixtures/kubernetes/objects';
import { draftsOf, evaluate } from '../../fixtures/kubernetes/rules';

const rule = 'k8s.service.lb_no_endpoints';
const ns = 'shop';
const id = 'shop/service/lb';

describe('k8s.service.lb_no_endpoints', () => {
  it.each([
    ['no slice at all', [], true],
    [
      'a slice whose only endpoint is not ready',
      [endpointSlice('lb-a', ns, 'lb', 'IPv4', [false])],
      true,
    ],
    ['an empty slice', [endpointSlice('lb-a', ns, 'lb', 'IPv4', [])], true],
    ['a ready endpoint', [endpointSlice('lb-a', ns, 'lb', 'IPv4', [true])], false],
    [
      'an endpoint without a ready condition (ready by API default)',
      [endpointSlice('lb-a', ns, 'lb', 'IPv4', [undefined])],
      false,
    ],
    [
      'dual stack: IPv4 ready, IPv6 empty (judged together)',
      [
        endpointSlice('lb-v4', ns, 'lb', 'IPv4', [true]),
        endpointSlice('lb-v6', ns, 'lb', 'IPv6', []),
      ],
      false,
    ],
    [
      'dual stack: IPv4 empty, IPv6 ready',
      [
        endpointSlice('lb-v4', ns, 'lb', 'IPv4', []),
        endpointSlice('lb-v6', ns, 'lb', 'IPv6', [true]),
      ],
      false,
    ],
    [
      'dual stack: no family ready',
      [
        endpointSlice('lb-v4', ns, 'lb', 'IPv4', [false]),
        endpointSlice('lb-v6', ns, 'lb', 'IPv6', [false]),
      ],
      true,
    ],
    [
      'a ready endpoint of another service',
      [endpointSlice('x-a', ns, 'other', 'IPv4', [true])],
      true,
    ],
  ] as const)('with %s: reported = %p', (_label, slices, reported) => {
    const output = evaluate({
      services: [service('lb', ns, { ipFamilies: ['IPv4', 'IPv6'] })],
      endpointslices: [...slices],
    });
    expect(draftsOf(output, rule).has(id)).toBe(reported);
  });

  it('prices the load balancer of the cloud the nodes run in, by the hour', () => {
    const output = evaluate({ services: [service('lb', ns)], nodes: [node('n1')] });
    const draft = draftsOf(output, rule).get(id);
    expect(draft?.usage).toEqual([{ kind: 'hourly', sku: 'lb:aws', hours: 730 }]);
    expect(quoteUsage(KUBERNETES_PRICES, draft?.region ?? '', draft?.usage ?? []).monthly_usd).toBe(
      18.25,
    );
    expect(draft?.fix_command).toBe('kubectl --context prod -n shop delete service lb');
    expect(draft?.evidence.endpoint_slices).toBe(0);
  });

  it('uses the per-unit load balancer price when the cloud is unknown', () => {
    const draft = draftsOf(evaluate({ services: [service('lb', ns)] }), rule).get(id);
    expect(draft?.usage[0]?.kind === 'hourly' && draft.usage[0].sku).toBe(
      'unit:load-balancer-hour',
    );
  });

  it.each([
    ['a ClusterIP service', service('lb', ns, { type: 'ClusterIP' })],
    ['a load balancer not provisioned yet (no ingress)', service('lb', ns, { ingress: [] })],
    ['a service created within the grace period', service('lb', ns, { created: hoursAgo(2) })],
  ])('ignores %s', (_label, item) => {
    expect(draftsOf(evaluate({ services: [item] }), rule).size).toBe(0);
  });

  it('is skipped when EndpointSlices could not be listed', () => {
    const output = evaluate({ services: [service('lb', ns)] }, { endpointslices: 'forbidden' });
    expect(draftsOf(output, rule).size).toBe(0);
    expect(output.warnings).toContain(`${rule} skipped: endpointslices forbidden`);
  });
});
