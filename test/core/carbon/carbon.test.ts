import { describe, expect, it } from 'bun:test';
import { estimateCarbonKg, type ComputeUsage } from '../../../core/carbon/carbon';
import { CARBON_COEFFICIENTS } from '../../../core/carbon/coefficients';
import { HOURS_PER_MONTH } from '../../../core/model';

const running: ComputeUsage = {
  kind: 'compute',
  sku: 'vm:Standard_E4s_v5',
  vcpus: 4,
  memory_gib: 32,
  hours: HOURS_PER_MONTH,
};
const stopped: ComputeUsage = { ...running, powered: false };

/** A month of reserved hardware for four vCPUs, in kg CO2e, to the gram like the estimate. */
const EMBODIED_4_VCPU_MONTH =
  Math.round(4 * HOURS_PER_MONTH * CARBON_COEFFICIENTS.embodied_kg_per_vcpu_hour * 1000) / 1000;

describe('estimateCarbonKg', () => {
  it('counts only embodied emissions for a machine marked powered: false', () => {
    expect(estimateCarbonKg('azure', 'eastus', [stopped])).toBe(EMBODIED_4_VCPU_MONTH);
    expect(estimateCarbonKg('alibaba', 'cn-hangzhou', [stopped])).toBe(EMBODIED_4_VCPU_MONTH);
  });

  it('does not depend on the grid of the region for a stopped machine', () => {
    expect(estimateCarbonKg('azure', 'swedencentral', [stopped])).toBe(
      estimateCarbonKg('azure', 'australiaeast', [stopped]),
    );
  });

  it('adds compute and memory energy at average load for a running machine', () => {
    const kwh =
      (4 * (0.78 + CARBON_COEFFICIENTS.average_cpu_utilisation * (3.76 - 0.78)) * HOURS_PER_MONTH +
        32 * CARBON_COEFFICIENTS.memory_wh_per_gb_hour * HOURS_PER_MONTH) /
      1000;
    const operational = kwh * 1.185 * 0.000379069 * 1000;
    const expected =
      Math.round(
        (operational + 4 * HOURS_PER_MONTH * CARBON_COEFFICIENTS.embodied_kg_per_vcpu_hour) * 1000,
      ) / 1000;
    expect(estimateCarbonKg('azure', 'eastus', [running])).toBe(expected);
    expect(estimateCarbonKg('azure', 'eastus', [{ ...running, powered: true }])).toBe(expected);
    expect(expected).toBeGreaterThan(EMBODIED_4_VCPU_MONTH * 4);
  });
});
