import {
  paginateDescribeImages,
  paginateDescribeInstances,
  paginateDescribeLaunchTemplates,
  paginateDescribeLaunchTemplateVersions,
  paginateDescribeNatGateways,
  paginateDescribeNetworkInterfaces,
  paginateDescribeRouteTables,
  paginateDescribeSnapshots,
  paginateDescribeVolumes,
  DescribeAddressesCommand,
  type EC2Client,
  type LaunchTemplateVersion,
} from '@aws-sdk/client-ec2';
import type { AwsRawRegion } from './normalize';

/** Options for each `client.send`: a timeout of its own, joined to the scan's signal. */
export interface CallGate {
  next(): { abortSignal: AbortSignal };
  /** True when the latest call's own timeout fired (not the scan's cancellation). */
  timedOut(): boolean;
}

/** A gate whose every call is bounded by `timeoutMs` and cancelled with `signal`. */
export function createCallGate(signal: AbortSignal, timeoutMs: number): CallGate {
  let latest: AbortSignal | undefined;
  return {
    next() {
      latest = AbortSignal.timeout(timeoutMs);
      return { abortSignal: AbortSignal.any([signal, latest]) };
    },
    timedOut() {
      return latest?.aborted === true && !signal.aborted;
    },
  };
}

/**
 * Everything the AWS rules read in one region, every describe call followed through all its
 * `NextToken` pages. Calls run one after another: a region's inventory is a handful of calls, and
 * the scan already runs regions side by side within the provider's rate limits.
 */
export async function collectAwsRegion(client: EC2Client, gate: CallGate): Promise<AwsRawRegion> {
  const volumes = await allItems(
    gate,
    (o) => paginateDescribeVolumes({ client, pageSize: 500 }, {}, o),
    (page) => page.Volumes,
  );
  const reservations = await allItems(
    gate,
    (o) => paginateDescribeInstances({ client, pageSize: 1000 }, {}, o),
    (page) => page.Reservations,
  );
  // DescribeAddresses has no pagination: it returns every address of the region at once.
  const addresses = (await client.send(new DescribeAddressesCommand({}), gate.next())).Addresses;
  const snapshots = await allItems(
    gate,
    (o) => paginateDescribeSnapshots({ client, pageSize: 1000 }, { OwnerIds: ['self'] }, o),
    (page) => page.Snapshots,
  );
  // Disabled images still own their snapshots, so they count as references.
  const images = await allItems(
    gate,
    (o) =>
      paginateDescribeImages(
        { client, pageSize: 1000 },
        { Owners: ['self'], IncludeDisabled: true },
        o,
      ),
    (page) => page.Images,
  );
  const templates = await allItems(
    gate,
    (o) => paginateDescribeLaunchTemplates({ client, pageSize: 200 }, {}, o),
    (page) => page.LaunchTemplates,
  );
  const versions: LaunchTemplateVersion[] = [];
  for (const template of templates) {
    if (!template.LaunchTemplateId) continue;
    // Without `Versions` the call lists every version, not only $Default and $Latest.
    const input = { LaunchTemplateId: template.LaunchTemplateId };
    versions.push(
      ...(await allItems(
        gate,
        (o) => paginateDescribeLaunchTemplateVersions({ client, pageSize: 200 }, input, o),
        (page) => page.LaunchTemplateVersions,
      )),
    );
  }
  const natGateways = await allItems(
    gate,
    (o) => paginateDescribeNatGateways({ client, pageSize: 1000 }, {}, o),
    (page) => page.NatGateways,
  );
  const routeTables = await allItems(
    gate,
    (o) => paginateDescribeRouteTables({ client, pageSize: 100 }, {}, o),
    (page) => page.RouteTables,
  );
  const networkInterfaces = await allItems(
    gate,
    (o) => paginateDescribeNetworkInterfaces({ client, pageSize: 1000 }, {}, o),
    (page) => page.NetworkInterfaces,
  );
  return {
    volumes,
    reservations,
    addresses: addresses ?? [],
    snapshots,
    images,
    launch_template_versions: versions,
    nat_gateways: natGateways,
    route_tables: routeTables,
    network_interfaces: networkInterfaces,
  };
}

/**
 * Drains an SDK paginator. The paginator hands the same options object to every page's `send`,
 * so refreshing its signal between pages gives each call its own timeout.
 */
async function allItems<Page, Item>(
  gate: CallGate,
  paginate: (options: { abortSignal: AbortSignal }) => AsyncIterable<Page>,
  itemsOf: (page: Page) => Item[] | undefined,
): Promise<Item[]> {
  const options = gate.next();
  const items: Item[] = [];
  for await (const page of paginate(options)) {
    items.push(...(itemsOf(page) ?? []));
    Object.assign(options, gate.next());
  }
  return items;
}
