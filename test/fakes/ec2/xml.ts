import type {
  Address,
  Image,
  Instance,
  LaunchTemplate,
  LaunchTemplateVersion,
  NatGateway,
  NetworkInterface,
  NetworkInterfaceAssociation,
  RouteTable,
  Snapshot,
  Tag,
  Volume,
} from '@aws-sdk/client-ec2';

/**
 * EC2 Query-protocol XML for the shapes the collector reads, with the element names of the
 * EC2 API reference (2016-11-15): lists are `<xxxSet><item>…</item></xxxSet>`, a volume's state
 * is `<status>`, an instance's is `<instanceState>`, its public address `<ipAddress>`.
 */

/** The XML namespace of the 2016-11-15 EC2 API. */
export const EC2_NAMESPACE = 'http://ec2.amazonaws.com/doc/2016-11-15/';

/** A successful response document: `<ActionResponse>` with a request id and the body. */
export function responseDocument(action: string, requestId: string, body: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<${action}Response xmlns="${EC2_NAMESPACE}"><requestId>${requestId}</requestId>` +
    `${body}</${action}Response>`
  );
}

/** The EC2 error document; EC2 names the request id `RequestID` here, unlike in successes. */
export function errorDocument(code: string, message: string, requestId: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Response><Errors><Error><Code>${escape(code)}</Code><Message>${escape(message)}</Message>` +
    `</Error></Errors><RequestID>${requestId}</RequestID></Response>`
  );
}

/** A list element of `<item>`s. */
export function itemSet<T>(
  name: string,
  items: T[] | undefined,
  render: (item: T) => string,
): string {
  if (!items) return '';
  return `<${name}>${items.map((item) => `<item>${render(item)}</item>`).join('')}</${name}>`;
}

/** A `volumeSet` item. */
export function renderVolume(v: Volume): string {
  return (
    text('volumeId', v.VolumeId) +
    text('size', v.Size) +
    text('snapshotId', v.SnapshotId ?? '') +
    text('availabilityZone', v.AvailabilityZone) +
    text('status', v.State) +
    text('createTime', v.CreateTime) +
    itemSet(
      'attachmentSet',
      v.Attachments ?? [],
      (a) =>
        text('volumeId', a.VolumeId ?? v.VolumeId) +
        text('instanceId', a.InstanceId) +
        text('device', a.Device) +
        text('status', a.State) +
        text('attachTime', a.AttachTime) +
        text('deleteOnTermination', a.DeleteOnTermination),
    ) +
    text('volumeType', v.VolumeType) +
    text('iops', v.Iops) +
    text('throughput', v.Throughput) +
    text('encrypted', v.Encrypted ?? false) +
    tagSet(v.Tags)
  );
}

/** One reservation per instance, as RunInstances with a count of one makes them. */
export function renderReservation(instance: Instance, ownerId: string): string {
  return (
    text('reservationId', `r-${(instance.InstanceId ?? '').replace(/^i-/, '')}`) +
    text('ownerId', ownerId) +
    '<groupSet/>' +
    itemSet('instancesSet', [instance], renderInstance)
  );
}

function renderInstance(i: Instance): string {
  return (
    text('instanceId', i.InstanceId) +
    text('imageId', i.ImageId) +
    optionalElement(
      'instanceState',
      i.State && text('code', i.State.Code) + text('name', i.State.Name),
    ) +
    text('privateDnsName', i.PrivateDnsName ?? '') +
    text('dnsName', i.PublicDnsName ?? '') +
    text('reason', i.StateTransitionReason ?? '') +
    text('instanceType', i.InstanceType) +
    text('launchTime', i.LaunchTime) +
    optionalElement(
      'placement',
      i.Placement && text('availabilityZone', i.Placement.AvailabilityZone),
    ) +
    text('privateIpAddress', i.PrivateIpAddress) +
    text('ipAddress', i.PublicIpAddress) +
    text('rootDeviceType', i.RootDeviceType ?? 'ebs') +
    text('rootDeviceName', i.RootDeviceName) +
    itemSet(
      'blockDeviceMapping',
      i.BlockDeviceMappings ?? [],
      (m) =>
        text('deviceName', m.DeviceName) +
        optionalElement(
          'ebs',
          m.Ebs &&
            text('volumeId', m.Ebs.VolumeId) +
              text('status', m.Ebs.Status ?? 'attached') +
              text('attachTime', m.Ebs.AttachTime) +
              text('deleteOnTermination', m.Ebs.DeleteOnTermination),
        ),
    ) +
    tagSet(i.Tags)
  );
}

/** An `addressesSet` item. */
export function renderAddress(a: Address): string {
  return (
    text('publicIp', a.PublicIp) +
    text('allocationId', a.AllocationId) +
    text('domain', a.Domain ?? 'vpc') +
    text('instanceId', a.InstanceId) +
    text('associationId', a.AssociationId) +
    text('networkInterfaceId', a.NetworkInterfaceId) +
    text('networkInterfaceOwnerId', a.NetworkInterfaceOwnerId) +
    text('privateIpAddress', a.PrivateIpAddress) +
    text('publicIpv4Pool', a.PublicIpv4Pool ?? 'amazon') +
    text('networkBorderGroup', a.NetworkBorderGroup) +
    tagSet(a.Tags)
  );
}

/** A `snapshotSet` item. */
export function renderSnapshot(s: Snapshot, ownerId: string): string {
  return (
    text('snapshotId', s.SnapshotId) +
    text('volumeId', s.VolumeId) +
    text('status', s.State) +
    text('startTime', s.StartTime) +
    text('progress', s.Progress ?? '100%') +
    text('ownerId', s.OwnerId ?? ownerId) +
    text('volumeSize', s.VolumeSize) +
    text('description', s.Description ?? '') +
    text('encrypted', s.Encrypted ?? false) +
    text('storageTier', s.StorageTier ?? 'standard') +
    tagSet(s.Tags)
  );
}

/** An `imagesSet` item. */
export function renderImage(i: Image, ownerId: string): string {
  return (
    text('imageId', i.ImageId) +
    text('imageLocation', i.ImageLocation ?? `${ownerId}/${i.Name ?? i.ImageId}`) +
    text('imageState', i.State) +
    text('imageOwnerId', i.OwnerId ?? ownerId) +
    text('creationDate', i.CreationDate) +
    text('isPublic', i.Public ?? false) +
    text('architecture', i.Architecture ?? 'x86_64') +
    text('imageType', i.ImageType ?? 'machine') +
    text('name', i.Name) +
    text('description', i.Description) +
    text('rootDeviceType', i.RootDeviceType ?? 'ebs') +
    text('rootDeviceName', i.RootDeviceName ?? '/dev/xvda') +
    itemSet(
      'blockDeviceMapping',
      i.BlockDeviceMappings ?? [],
      (m) =>
        text('deviceName', m.DeviceName) +
        optionalElement(
          'ebs',
          m.Ebs &&
            text('snapshotId', m.Ebs.SnapshotId) +
              text('volumeSize', m.Ebs.VolumeSize) +
              text('deleteOnTermination', m.Ebs.DeleteOnTermination ?? true) +
              text('volumeType', m.Ebs.VolumeType) +
              text('encrypted', m.Ebs.Encrypted ?? false),
        ),
    ) +
    text('virtualizationType', i.VirtualizationType ?? 'hvm') +
    tagSet(i.Tags) +
    text('lastLaunchedTime', i.LastLaunchedTime)
  );
}

/** A `launchTemplates` item. */
export function renderLaunchTemplate(t: LaunchTemplate): string {
  return (
    text('launchTemplateId', t.LaunchTemplateId) +
    text('launchTemplateName', t.LaunchTemplateName) +
    text('createTime', t.CreateTime) +
    text('createdBy', t.CreatedBy) +
    text('defaultVersionNumber', t.DefaultVersionNumber) +
    text('latestVersionNumber', t.LatestVersionNumber) +
    tagSet(t.Tags)
  );
}

/** A `launchTemplateVersionSet` item. */
export function renderLaunchTemplateVersion(v: LaunchTemplateVersion): string {
  const data = v.LaunchTemplateData;
  return (
    text('launchTemplateId', v.LaunchTemplateId) +
    text('launchTemplateName', v.LaunchTemplateName) +
    text('versionNumber', v.VersionNumber) +
    text('versionDescription', v.VersionDescription) +
    text('createTime', v.CreateTime) +
    text('createdBy', v.CreatedBy) +
    text('defaultVersion', v.DefaultVersion ?? false) +
    optionalElement(
      'launchTemplateData',
      data &&
        text('imageId', data.ImageId) +
          text('instanceType', data.InstanceType) +
          itemSet(
            'blockDeviceMappingSet',
            data.BlockDeviceMappings,
            (m) =>
              text('deviceName', m.DeviceName) +
              optionalElement(
                'ebs',
                m.Ebs &&
                  text('snapshotId', m.Ebs.SnapshotId) +
                    text('volumeSize', m.Ebs.VolumeSize) +
                    text('volumeType', m.Ebs.VolumeType),
              ),
          ),
    )
  );
}

/** A `natGatewaySet` item. */
export function renderNatGateway(n: NatGateway): string {
  return (
    text('natGatewayId', n.NatGatewayId) +
    text('subnetId', n.SubnetId) +
    text('vpcId', n.VpcId) +
    text('createTime', n.CreateTime) +
    text('state', n.State) +
    text('connectivityType', n.ConnectivityType ?? 'public') +
    itemSet(
      'natGatewayAddressSet',
      n.NatGatewayAddresses ?? [],
      (a) =>
        text('allocationId', a.AllocationId) +
        text('networkInterfaceId', a.NetworkInterfaceId) +
        text('privateIp', a.PrivateIp) +
        text('publicIp', a.PublicIp) +
        text('associationId', a.AssociationId) +
        text('isPrimary', a.IsPrimary ?? true) +
        text('status', a.Status ?? 'succeeded'),
    ) +
    tagSet(n.Tags)
  );
}

/** A `routeTableSet` item. */
export function renderRouteTable(r: RouteTable, ownerId: string): string {
  return (
    text('routeTableId', r.RouteTableId) +
    text('vpcId', r.VpcId) +
    text('ownerId', r.OwnerId ?? ownerId) +
    itemSet(
      'routeSet',
      r.Routes ?? [],
      (route) =>
        text('destinationCidrBlock', route.DestinationCidrBlock) +
        text('gatewayId', route.GatewayId) +
        text('natGatewayId', route.NatGatewayId) +
        text('instanceId', route.InstanceId) +
        text('networkInterfaceId', route.NetworkInterfaceId) +
        text('state', route.State ?? 'active') +
        text('origin', route.Origin ?? 'CreateRoute'),
    ) +
    itemSet(
      'associationSet',
      r.Associations ?? [],
      (a) =>
        text('routeTableAssociationId', a.RouteTableAssociationId) +
        text('routeTableId', a.RouteTableId ?? r.RouteTableId) +
        text('subnetId', a.SubnetId) +
        text('main', a.Main ?? false),
    ) +
    '<propagatingVgwSet/>' +
    tagSet(r.Tags)
  );
}

/** A `networkInterfaceSet` item. */
export function renderNetworkInterface(n: NetworkInterface, ownerId: string): string {
  return (
    text('networkInterfaceId', n.NetworkInterfaceId) +
    text('subnetId', n.SubnetId) +
    text('vpcId', n.VpcId) +
    text('availabilityZone', n.AvailabilityZone) +
    text('description', n.Description ?? '') +
    text('ownerId', n.OwnerId ?? ownerId) +
    text('requesterManaged', n.RequesterManaged ?? false) +
    text('status', n.Status) +
    text('macAddress', n.MacAddress) +
    text('privateIpAddress', n.PrivateIpAddress) +
    text('sourceDestCheck', n.SourceDestCheck ?? true) +
    text('interfaceType', n.InterfaceType ?? 'interface') +
    '<groupSet/>' +
    optionalElement(
      'attachment',
      n.Attachment &&
        text('attachmentId', n.Attachment.AttachmentId) +
          text('instanceId', n.Attachment.InstanceId) +
          text('instanceOwnerId', n.Attachment.InstanceOwnerId ?? ownerId) +
          text('deviceIndex', n.Attachment.DeviceIndex) +
          text('status', n.Attachment.Status) +
          text('attachTime', n.Attachment.AttachTime) +
          text('deleteOnTermination', n.Attachment.DeleteOnTermination),
    ) +
    optionalElement('association', n.Association && renderAssociation(n.Association)) +
    itemSet(
      'privateIpAddressesSet',
      n.PrivateIpAddresses ?? [],
      (p) =>
        text('privateIpAddress', p.PrivateIpAddress) +
        text('primary', p.Primary ?? false) +
        optionalElement('association', p.Association && renderAssociation(p.Association)),
    ) +
    tagSet(n.TagSet)
  );
}

function renderAssociation(a: NetworkInterfaceAssociation): string {
  return (
    text('publicIp', a.PublicIp) +
    text('publicDnsName', a.PublicDnsName) +
    text('ipOwnerId', a.IpOwnerId ?? 'amazon') +
    text('allocationId', a.AllocationId) +
    text('associationId', a.AssociationId)
  );
}

/** A `regionInfo` item. */
export function renderRegion(name: string, optInStatus: string): string {
  return (
    text('regionName', name) +
    text('regionEndpoint', `ec2.${name}.amazonaws.com`) +
    text('optInStatus', optInStatus)
  );
}

function tagSet(tags: Tag[] | undefined): string {
  return itemSet('tagSet', tags ?? [], (t) => text('key', t.Key) + text('value', t.Value ?? ''));
}

function optionalElement(name: string, inner: string | undefined | false): string {
  return inner === undefined || inner === false ? '' : `<${name}>${inner}</${name}>`;
}

/** One leaf element; absent values produce no element, as EC2 omits unset fields. */
function text(name: string, value: string | number | boolean | Date | undefined): string {
  if (value === undefined) return '';
  const rendered = value instanceof Date ? value.toISOString() : String(value);
  return `<${name}>${escape(rendered)}</${name}>`;
}

function escape(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
