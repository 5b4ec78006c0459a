import { HOURS_PER_MONTH, isExcluded, type FindingDraft } from '../../model';
import {
  awsCli,
  compare,
  draft,
  fingerprintOf,
  isInGracePeriod,
  nameOf,
  publicIpv4Usage,
  type AwsRegionIndex,
} from './shared';

/**
 * `aws.eip.unassociated`: an Elastic IP with no `AssociationId`. An address used by a NAT gateway
 * or a bare network interface has an association but no instance: it is in use, not waste.
 */
export function findUnassociatedAddresses(index: AwsRegionIndex): FindingDraft[] {
  const { context } = index;
  return index.inventory.addresses
    .filter((address) => !address.association_id && !isExcluded(address.tags, context.policy))
    .sort((a, b) => compare(a.public_ip, b.public_ip))
    .map((address) => {
      const id = address.allocation_id ?? address.public_ip;
      return draft(context, {
        rule_id: 'aws.eip.unassociated',
        resource_type: 'elastic_ip',
        resource_id: id,
        resource_name: nameOf(address.tags, address.public_ip),
        title: `Elastic IP ${address.public_ip} is not associated`,
        details:
          'The address is allocated to the account but associated with nothing; idle public ' +
          'IPv4 addresses are billed by the hour.',
        evidence: {
          PublicIp: address.public_ip,
          AllocationId: address.allocation_id ?? null,
          AssociationId: null,
          InstanceId: null,
          NetworkInterfaceId: address.network_interface_id ?? null,
          Domain: address.domain ?? null,
        },
        action_type: 'DELETE',
        recommendation: 'Release the address unless a DNS record or allow-list depends on it.',
        fix_command: address.allocation_id
          ? awsCli(context, 'release-address', '--allocation-id', address.allocation_id)
          : awsCli(context, 'release-address', '--public-ip', address.public_ip),
        confidence: 'high',
        usage: publicIpv4Usage(1),
        fingerprint: fingerprintOf(id, address.public_ip, 'unassociated'),
      });
    });
}

/**
 * `aws.nat.unused`: an available NAT gateway that no route table routes to, billed by the hour
 * (× 730 a month) while no traffic can reach it. Its Elastic IPs stay allocated after deletion,
 * so the saving counted is the gateway's own hourly charge.
 */
export function findUnusedNatGateways(index: AwsRegionIndex): FindingDraft[] {
  const { context } = index;
  return index.inventory.nat_gateways
    .filter(
      (nat) =>
        nat.state === 'available' &&
        !index.routed_nat_ids.has(nat.nat_gateway_id) &&
        !isExcluded(nat.tags, context.policy) &&
        !isInGracePeriod(nat.create_time, context),
    )
    .sort((a, b) => compare(a.nat_gateway_id, b.nat_gateway_id))
    .map((nat) =>
      draft(context, {
        rule_id: 'aws.nat.unused',
        resource_type: 'nat_gateway',
        resource_id: nat.nat_gateway_id,
        resource_name: nameOf(nat.tags, nat.nat_gateway_id),
        title: `NAT gateway ${nat.nat_gateway_id} has no route pointing at it`,
        details:
          `None of the ${index.inventory.route_tables.length} route tables in the region sends ` +
          'traffic to this NAT gateway, yet it is billed for every hour it exists.',
        evidence: {
          NatGatewayId: nat.nat_gateway_id,
          State: nat.state,
          VpcId: nat.vpc_id ?? null,
          SubnetId: nat.subnet_id ?? null,
          ConnectivityType: nat.connectivity_type ?? null,
          CreateTime: nat.create_time ?? null,
          PublicIps: nat.public_ips,
          route_tables_checked: index.inventory.route_tables.length,
          routes_to_gateway: 0,
        },
        action_type: 'DELETE',
        recommendation:
          'Delete the NAT gateway, then release its Elastic IPs if nothing else needs them.',
        fix_command: awsCli(context, 'delete-nat-gateway', '--nat-gateway-id', nat.nat_gateway_id),
        confidence: 'high',
        usage: [{ kind: 'hourly', sku: 'nat:hourly', hours: HOURS_PER_MONTH }],
        fingerprint: fingerprintOf(nat.nat_gateway_id, nat.state),
      }),
    );
}

/**
 * `aws.eni.public_ip_unused`: a detached (`available`) network interface holding public IPv4
 * addresses. A plain detached interface costs nothing and is not reported: only the addresses
 * are money.
 */
export function findIdleInterfacesWithPublicIps(index: AwsRegionIndex): FindingDraft[] {
  const { context } = index;
  return index.inventory.network_interfaces
    .filter(
      (eni) =>
        eni.status === 'available' &&
        eni.public_ips.length > 0 &&
        !isExcluded(eni.tags, context.policy),
    )
    .sort((a, b) => compare(a.network_interface_id, b.network_interface_id))
    .map((eni) => {
      const ips = [...eni.public_ips].sort((a, b) => compare(a.public_ip, b.public_ip));
      const elastic = ips.filter((ip) => ip.allocation_id);
      return draft(context, {
        rule_id: 'aws.eni.public_ip_unused',
        resource_type: 'network_interface',
        resource_id: eni.network_interface_id,
        resource_name: nameOf(eni.tags, eni.network_interface_id),
        title:
          `Detached network interface ${eni.network_interface_id} holds ` +
          `${ips.length} public IPv4 address(es)`,
        details:
          'The interface is attached to nothing (status "available") but keeps public IPv4 ' +
          'addresses, which are billed by the hour; the interface itself is free.',
        evidence: {
          NetworkInterfaceId: eni.network_interface_id,
          Status: eni.status,
          InterfaceType: eni.interface_type ?? null,
          Description: eni.description ?? null,
          public_ips: ips.map((ip) => ({
            PublicIp: ip.public_ip,
            AllocationId: ip.allocation_id ?? null,
            AssociationId: ip.association_id ?? null,
          })),
        },
        action_type: 'DELETE',
        recommendation:
          elastic.length > 0
            ? 'Disassociate and release the Elastic IPs (deleting the interface alone keeps ' +
              'them allocated and billed), then delete the interface.'
            : 'Delete the interface; its public address goes with it.',
        fix_command:
          elastic.length > 0
            ? elastic
                .flatMap((ip) => [
                  ...(ip.association_id
                    ? [
                        awsCli(
                          context,
                          'disassociate-address',
                          '--association-id',
                          ip.association_id,
                        ),
                      ]
                    : []),
                  awsCli(context, 'release-address', '--allocation-id', ip.allocation_id as string),
                ])
                .join(' && ')
            : awsCli(
                context,
                'delete-network-interface',
                '--network-interface-id',
                eni.network_interface_id,
              ),
        confidence: 'high',
        usage: publicIpv4Usage(ips.length),
        fingerprint: fingerprintOf(
          eni.network_interface_id,
          eni.status,
          ips.map((ip) => ip.public_ip).join(','),
        ),
      });
    });
}
