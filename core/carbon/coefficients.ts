import type { Provider } from '../model';

/**
 * Coefficients of the Cloud Carbon Footprint methodology
 * (https://www.cloudcarbonfootprint.org/docs/methodology, read 2026-11-30). Alibaba Cloud is not
 * covered by it: its compute wattage takes the methodology's cross-provider average and its PUE the
 * figure Alibaba publishes for its own data centres.
 */
export const CARBON_COEFFICIENTS = {
  dated: '2026-11-30',
  source_url: 'https://www.cloudcarbonfootprint.org/docs/methodology',
  ssd_wh_per_tb_hour: 1.2,
  hdd_wh_per_tb_hour: 0.65,
  memory_wh_per_gb_hour: 0.392,
  average_cpu_utilisation: 0.5,
  /**
   * Embodied emissions spread over a server's life: about 1,200 kg CO2e for a 48-vCPU host over four
   * years (the methodology's default manufacturing estimate), per vCPU-hour.
   */
  embodied_kg_per_vcpu_hour: 1200 / (4 * 8760 * 48),
  providers: {
    aws: {
      pue: 1.135,
      min_watts_per_vcpu: 0.74,
      max_watts_per_vcpu: 3.5,
      block_replication: 2,
      object_replication: 3,
      average_grid_t_per_kwh: 0.000379,
    },
    azure: {
      pue: 1.185,
      min_watts_per_vcpu: 0.78,
      max_watts_per_vcpu: 3.76,
      block_replication: 3,
      object_replication: 3,
      average_grid_t_per_kwh: 0.000379,
    },
    alibaba: {
      pue: 1.25,
      min_watts_per_vcpu: 0.74,
      max_watts_per_vcpu: 3.54,
      block_replication: 3,
      object_replication: 3,
      average_grid_t_per_kwh: 0.000555,
    },
    kubernetes: {
      pue: 1.135,
      min_watts_per_vcpu: 0.74,
      max_watts_per_vcpu: 3.5,
      block_replication: 2,
      object_replication: 3,
      average_grid_t_per_kwh: 0.000379,
    },
  } satisfies Record<Provider, ProviderCoefficients>,
};

interface ProviderCoefficients {
  pue: number;
  min_watts_per_vcpu: number;
  max_watts_per_vcpu: number;
  block_replication: number;
  object_replication: number;
  average_grid_t_per_kwh: number;
}

/** Grid emission factors, tonnes CO2e per kWh, per provider region (same source and date). */
export const GRID_FACTORS_T_PER_KWH: Record<Provider, Record<string, number>> = {
  aws: {
    'us-east-1': 0.000379069,
    'us-east-2': 0.000410608,
    'us-west-1': 0.000322167,
    'us-west-2': 0.000322167,
    'ca-central-1': 0.00000013,
    'eu-west-1': 0.0002786,
    'eu-west-2': 0.000225,
    'eu-west-3': 0.0000511,
    'eu-central-1': 0.000338,
    'eu-north-1': 0.0000088,
    'ap-south-1': 0.000708,
    'ap-northeast-1': 0.000465,
    'ap-northeast-2': 0.0004156,
    'ap-northeast-3': 0.000465,
    'ap-southeast-1': 0.0004085,
    'ap-southeast-2': 0.00079,
    'sa-east-1': 0.0000617,
  },
  azure: {
    eastus: 0.000379069,
    eastus2: 0.000379069,
    westus: 0.000322167,
    westus2: 0.000322167,
    centralus: 0.000426254,
    northeurope: 0.0002786,
    westeurope: 0.0003284,
    uksouth: 0.000225,
    germanywestcentral: 0.000338,
    francecentral: 0.0000511,
    swedencentral: 0.0000088,
    southeastasia: 0.0004085,
    japaneast: 0.000465,
    australiaeast: 0.00079,
    centralindia: 0.000708,
  },
  alibaba: {
    'cn-hangzhou': 0.000555,
    'cn-shanghai': 0.000555,
    'cn-beijing': 0.000555,
    'cn-shenzhen': 0.000555,
    'cn-hongkong': 0.00071,
    'ap-southeast-1': 0.0004085,
    'ap-northeast-1': 0.000465,
    'eu-central-1': 0.000338,
    'us-west-1': 0.000322167,
    'us-east-1': 0.000379069,
  },
  // Cluster nodes carry their cloud's region label: the regions the Kubernetes price table lists,
  // with the factors above for AWS and Azure and the methodology's GCP grid factors.
  kubernetes: {
    'us-east-1': 0.000379069,
    'us-east-2': 0.000410608,
    'us-west-2': 0.000322167,
    'eu-west-1': 0.0002786,
    'eu-central-1': 0.000338,
    eastus: 0.000379069,
    eastus2: 0.000379069,
    westeurope: 0.0003284,
    'us-central1': 0.000454,
    'us-east1': 0.00048,
    'europe-west1': 0.000212,
  },
};
