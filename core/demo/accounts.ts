import type { ScanAccount } from '../model';
import { DEMO_ALIBABA_REGIONS } from './inventory/alibaba';
import { DEMO_AWS_REGIONS } from './inventory/aws';
import { DEMO_AZURE_LOCATIONS } from './inventory/azure';

/** Ids of the demo cloud's accounts; `selected_accounts` may name them like any other. */
export const DEMO_ACCOUNT_IDS = {
  aws: 'demo_aws_prod',
  azure: 'demo_azure_corp',
  alibaba: 'demo_alibaba_cn',
  kubernetes: 'demo_k8s_prod',
} as const;

/**
 * The embedded demo cloud: one account per provider, scanned by the demo scanners over fixed
 * inventories. Connections are empty: the demo never reaches a network.
 */
export const DEMO_ACCOUNTS: ScanAccount[] = [
  {
    id: DEMO_ACCOUNT_IDS.aws,
    provider: 'aws',
    name: 'Acme production on AWS (demo)',
    source: 'demo',
    connection: {},
    regions: [...DEMO_AWS_REGIONS],
  },
  {
    id: DEMO_ACCOUNT_IDS.azure,
    provider: 'azure',
    name: 'Acme corporate Azure subscription (demo)',
    source: 'demo',
    connection: {},
    regions: [...DEMO_AZURE_LOCATIONS],
  },
  {
    id: DEMO_ACCOUNT_IDS.alibaba,
    provider: 'alibaba',
    name: 'Acme China on Alibaba Cloud (demo)',
    source: 'demo',
    connection: {},
    regions: [...DEMO_ALIBABA_REGIONS],
  },
  {
    id: DEMO_ACCOUNT_IDS.kubernetes,
    provider: 'kubernetes',
    name: 'EKS cluster prod-us-east-1 (demo)',
    source: 'demo',
    connection: {},
    regions: [],
  },
];
