import type { Provider, Usage } from '../model';
import { HOURS_PER_MONTH } from '../model';
import { CARBON_COEFFICIENTS, GRID_FACTORS_T_PER_KWH } from './coefficients';

/**
 * A compute usage item, optionally saying whether the machine draws power. `powered: false` marks
 * a stopped machine that is still billed because it keeps its capacity reserved (an Azure VM
 * stopped but not deallocated, an Alibaba instance stopped in KeepCharging mode): it uses no
 * compute or memory energy, but the hardware held for it still carries its embodied emissions.
 * Absent means powered, at the method's average utilisation.
 */
export type ComputeUsage = Extract<Usage, { kind: 'compute' }> & { powered?: boolean };

/**
 * Monthly kilograms CO2e of some usage by the Cloud Carbon Footprint method: energy (storage
 * Wh/TB-h × replication, compute W/vCPU at average utilisation, memory W/GB) × PUE × the region's
 * grid factor, plus embodied emissions for compute. A compute item marked `powered: false` (see
 * ComputeUsage) counts its embodied emissions only.
 */
export function estimateCarbonKg(provider: Provider, region: string, usage: Usage[]): number {
  const coefficients = CARBON_COEFFICIENTS.providers[provider];
  const grid = gridFactor(provider, region);
  let kwh = 0;
  let embodiedKg = 0;
  for (const item of usage) {
    switch (item.kind) {
      case 'storage': {
        const whPerTbHour =
          item.medium === 'ssd'
            ? CARBON_COEFFICIENTS.ssd_wh_per_tb_hour
            : CARBON_COEFFICIENTS.hdd_wh_per_tb_hour;
        kwh +=
          (gibToTb(item.gib) * whPerTbHour * HOURS_PER_MONTH * coefficients.block_replication) /
          1000;
        break;
      }
      case 'snapshot':
        kwh +=
          (gibToTb(item.gib) *
            CARBON_COEFFICIENTS.hdd_wh_per_tb_hour *
            HOURS_PER_MONTH *
            coefficients.object_replication) /
          1000;
        break;
      case 'compute': {
        embodiedKg += item.vcpus * item.hours * CARBON_COEFFICIENTS.embodied_kg_per_vcpu_hour;
        if (isPoweredOff(item)) break;
        const utilisation = CARBON_COEFFICIENTS.average_cpu_utilisation;
        const watts =
          coefficients.min_watts_per_vcpu +
          utilisation * (coefficients.max_watts_per_vcpu - coefficients.min_watts_per_vcpu);
        kwh += (item.vcpus * watts * item.hours) / 1000;
        kwh += (item.memory_gib * CARBON_COEFFICIENTS.memory_wh_per_gb_hour * item.hours) / 1000;
        break;
      }
      case 'hourly':
        break;
    }
  }
  const operationalKg = kwh * coefficients.pue * grid * 1000;
  return Math.round((operationalKg + embodiedKg) * 1000) / 1000;
}

/** Tonnes CO2e per kWh for a region; an unknown region takes its provider's average. */
export function gridFactor(provider: Provider, region: string): number {
  return (
    GRID_FACTORS_T_PER_KWH[provider][region] ??
    CARBON_COEFFICIENTS.providers[provider].average_grid_t_per_kwh
  );
}

/**
 * True for a compute item marked `powered: false`. Read with `in` so that it holds whether or not
 * the shared Usage type declares the field.
 */
function isPoweredOff(item: Extract<Usage, { kind: 'compute' }>): boolean {
  return 'powered' in item && item.powered === false;
}

function gibToTb(gib: number): number {
  return (gib * 1.073741824) / 1000;
}
