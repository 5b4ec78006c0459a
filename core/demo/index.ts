/**
 * The embedded demo cloud: accounts across AWS, Azure, Alibaba Cloud and a Kubernetes cluster,
 * and scanners that run their fixed inventories through the real rules. `demo_mode: true` and
 * `cws serve --demo` scan it; the binary carries it, so it needs no file and no network.
 */
export { DEMO_ACCOUNTS, DEMO_ACCOUNT_IDS } from './accounts';
export { createDemoScanners } from './scanner';
export { DEMO_ALIBABA_REGIONS } from './inventory/alibaba';
export { DEMO_AWS_REGIONS } from './inventory/aws';
export { DEMO_AZURE_LOCATIONS, DEMO_AZURE_SUBSCRIPTION } from './inventory/azure';
export { DEMO_KUBE_CONTEXT } from './inventory/kubernetes';
