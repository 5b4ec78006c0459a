import type {
  Address,
  Image,
  Instance,
  LaunchTemplate,
  LaunchTemplateVersion,
  NatGateway,
  NetworkInterface,
  RouteTable,
  Snapshot,
  Volume,
} from '@aws-sdk/client-ec2';
import {
  errorDocument,
  itemSet,
  renderAddress,
  renderImage,
  renderLaunchTemplate,
  renderLaunchTemplateVersion,
  renderNatGateway,
  renderNetworkInterface,
  renderRegion,
  renderReservation,
  renderRouteTable,
  renderSnapshot,
  renderVolume,
  responseDocument,
} from './ec2/xml';

/** One region's resources, in the SDK's own shapes (what DescribeXxx would return). */
export interface FakeEc2Region {
  volumes?: Volume[];
  instances?: Instance[];
  addresses?: Address[];
  snapshots?: Snapshot[];
  images?: Image[];
  launchTemplates?: LaunchTemplate[];
  launchTemplateVersions?: LaunchTemplateVersion[];
  natGateways?: NatGateway[];
  routeTables?: RouteTable[];
  networkInterfaces?: NetworkInterface[];
}

export interface FakeEc2Options {
  /** Resources per region name. */
  inventory: Record<string, FakeEc2Region>;
  /** Regions DescribeRegions lists as enabled; the inventory's regions when absent. */
  regions?: string[];
  /** Regions listed only with AllRegions=true, as `not-opted-in`. */
  disabledRegions?: string[];
  /** Delay before every answer, in milliseconds. */
  latencyMs?: number;
  /** Largest page any paginated call returns, whatever MaxResults asks. */
  pageSize?: number;
  /** The first N requests (any action, any region) answer 503 RequestLimitExceeded. */
  throttleFirst?: number;
  /** Every Nth request answers 503 RequestLimitExceeded. */
  throttleEvery?: number;
  /** Action → how many of its first requests (any region) answer 503 RequestLimitExceeded. */
  throttleActions?: Record<string, number>;
  /** Action → extra delay before each of its answers, in milliseconds (a slow call). */
  delayMs?: Record<string, number>;
  /** Regions whose calls are refused: a list (UnauthorizedOperation) or region → code. */
  deniedRegions?: string[] | Record<string, string>;
  /** The account id `self` stands for. */
  accountId?: string;
}

export interface FakeEc2 {
  /** Base URL to use as the SDK's `endpoint` (or a profile's `endpoint_url`). */
  url: string;
  close(): Promise<void>;
  /** Requests received per action, throttled and refused ones included. */
  calls: Record<string, number>;
  /** Requests received per region. */
  regionCalls: Record<string, number>;
  /** Access key ids seen in SigV4 credential scopes. */
  accessKeyIds: Set<string>;
  /** Every request in arrival order, with the status it was answered with. */
  requests: FakeEc2Request[];
  setInventory(region: string, resources: FakeEc2Region): void;
  setLatency(ms: number): void;
}

/** One request the fake answered. */
export interface FakeEc2Request {
  action: string;
  region: string;
  /** The `NextToken` it carried: set on every page after the first. */
  nextToken?: string;
  status: number;
}

const VERSION = '2016-11-15';
const DEFAULT_ACCOUNT_ID = '123456789012';

/** Error codes and the HTTP status EC2 answers them with. */
const ERROR_STATUS: Record<string, number> = {
  RequestLimitExceeded: 503,
  UnauthorizedOperation: 403,
  AuthFailure: 401,
  OptInRequired: 401,
  MissingAuthenticationToken: 401,
  InvalidAction: 400,
  InvalidParameterValue: 400,
  InvalidNextToken: 400,
};

/**
 * A local EC2 endpoint speaking the Query protocol (form-encoded POST in, XML out) for the
 * describe calls the AWS collector makes. The region comes from the SigV4 credential scope, or
 * from a Host such as `ec2.eu-west-1.amazonaws.com` for unsigned requests.
 */
export async function startFakeEc2(options: FakeEc2Options): Promise<FakeEc2> {
  const inventory = new Map(Object.entries(options.inventory));
  const accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
  const denied = deniedCodes(options.deniedRegions);
  let latencyMs = options.latencyMs ?? 0;
  let requestCount = 0;
  let requestSeq = 0;
  const actionCount = new Map<string, number>();

  const fake: FakeEc2 = {
    url: '',
    calls: {},
    regionCalls: {},
    accessKeyIds: new Set(),
    requests: [],
    close: async () => {
      await server.stop(true);
    },
    setInventory: (region, resources) => {
      inventory.set(region, resources);
    },
    setLatency: (ms) => {
      latencyMs = ms;
    },
  };

  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch: async (request) => {
      const record: FakeEc2Request = { action: '', region: '', status: 0 };
      fake.requests.push(record);
      const response = await answer(request, record);
      record.status = response.status;
      return response;
    },
  });
  fake.url = `http://127.0.0.1:${server.port}`;
  return fake;

  async function answer(request: Request, record: FakeEc2Request): Promise<Response> {
    const requestId = `fake-${(++requestSeq).toString().padStart(8, '0')}`;
    const params = new URLSearchParams(await request.text());
    const action = params.get('Action') ?? '';
    record.action = action;
    record.nextToken = params.get('NextToken') ?? undefined;
    fake.calls[action] = (fake.calls[action] ?? 0) + 1;
    requestCount += 1;
    actionCount.set(action, (actionCount.get(action) ?? 0) + 1);
    if (latencyMs > 0) await Bun.sleep(latencyMs);
    const delay = options.delayMs?.[action];
    if (delay) await sleep(delay, request.signal);

    const scope = credentialScope(request.headers.get('authorization'));
    if (scope) fake.accessKeyIds.add(scope.accessKeyId);
    const region = scope?.region ?? regionFromHost(request.headers.get('host'));
    if (!region) {
      return failure('MissingAuthenticationToken', 'Request is missing a signature.', requestId);
    }
    fake.regionCalls[region] = (fake.regionCalls[region] ?? 0) + 1;
    record.region = region;

    if (
      (options.throttleFirst !== undefined && requestCount <= options.throttleFirst) ||
      (options.throttleEvery !== undefined && requestCount % options.throttleEvery === 0) ||
      (actionCount.get(action) ?? 0) <= (options.throttleActions?.[action] ?? 0)
    ) {
      return failure('RequestLimitExceeded', 'Request limit exceeded.', requestId);
    }
    const deniedCode = denied.get(region);
    if (deniedCode) {
      return failure(
        deniedCode,
        `You are not authorized to perform this operation in ${region}.`,
        requestId,
      );
    }
    if (params.get('Version') !== VERSION) {
      return failure(
        'InvalidParameterValue',
        `Unsupported Version ${params.get('Version')}`,
        requestId,
      );
    }
    const handler = HANDLERS[action];
    if (!handler) {
      return failure(
        'InvalidAction',
        `The action ${action} is not valid for this web service.`,
        requestId,
      );
    }
    const filter = params.get('Filter.1.Name');
    if (filter !== null) {
      return failure('InvalidParameterValue', `The filter '${filter}' is invalid`, requestId);
    }
    const context: HandlerContext = {
      params,
      region: inventory.get(region) ?? {},
      accountId,
      pageSize: options.pageSize,
      enabledRegions: options.regions ?? [...inventory.keys()],
      disabledRegions: options.disabledRegions ?? [],
    };
    const result = handler(context);
    if ('error' in result) return failure(result.error, result.message, requestId);
    return new Response(responseDocument(action, requestId, result.body), {
      headers: { 'content-type': 'text/xml;charset=UTF-8' },
    });
  }
}

interface HandlerContext {
  params: URLSearchParams;
  region: FakeEc2Region;
  accountId: string;
  pageSize?: number;
  enabledRegions: string[];
  disabledRegions: string[];
}

type HandlerResult = { body: string } | { error: string; message: string };

const HANDLERS: Record<string, (context: HandlerContext) => HandlerResult> = {
  DescribeRegions: (c) => {
    const all = c.params.get('AllRegions') === 'true';
    const names = listParam(c.params, 'RegionName');
    const rows = [
      ...c.enabledRegions.map((name) => [name, 'opt-in-not-required'] as const),
      ...(all ? c.disabledRegions.map((name) => [name, 'not-opted-in'] as const) : []),
    ].filter(([name]) => names.length === 0 || names.includes(name));
    return { body: itemSet('regionInfo', rows, ([name, status]) => renderRegion(name, status)) };
  },
  DescribeVolumes: (c) =>
    paged(c, c.region.volumes ?? [], (items) => itemSet('volumeSet', items, renderVolume)),
  DescribeInstances: (c) =>
    paged(c, c.region.instances ?? [], (items) =>
      itemSet('reservationSet', items, (i) => renderReservation(i, c.accountId)),
    ),
  DescribeAddresses: (c) => ({
    body: itemSet('addressesSet', c.region.addresses ?? [], renderAddress),
  }),
  DescribeSnapshots: (c) => {
    const owners = listParam(c.params, 'Owner');
    const snapshots = (c.region.snapshots ?? []).filter((s) =>
      ownedBy(s.OwnerId, owners, c.accountId),
    );
    return paged(c, snapshots, (items) =>
      itemSet('snapshotSet', items, (s) => renderSnapshot(s, c.accountId)),
    );
  },
  DescribeImages: (c) => {
    const owners = listParam(c.params, 'Owner');
    const includeDisabled = c.params.get('IncludeDisabled') === 'true';
    const images = (c.region.images ?? []).filter(
      (i) => ownedBy(i.OwnerId, owners, c.accountId) && (includeDisabled || i.State !== 'disabled'),
    );
    return paged(c, images, (items) =>
      itemSet('imagesSet', items, (i) => renderImage(i, c.accountId)),
    );
  },
  DescribeLaunchTemplates: (c) =>
    paged(c, c.region.launchTemplates ?? [], (items) =>
      itemSet('launchTemplates', items, renderLaunchTemplate),
    ),
  DescribeLaunchTemplateVersions: (c) => {
    const id = c.params.get('LaunchTemplateId');
    const name = c.params.get('LaunchTemplateName');
    const wanted = listParam(c.params, 'LaunchTemplateVersion');
    const ofTemplate = (c.region.launchTemplateVersions ?? []).filter(
      (v) => (!id || v.LaunchTemplateId === id) && (!name || v.LaunchTemplateName === name),
    );
    if ((id || name) && ofTemplate.length === 0) {
      return {
        error: 'InvalidLaunchTemplateId.NotFound',
        message: `The specified launch template, with template ID ${id}, does not exist.`,
      };
    }
    const latest = Math.max(0, ...ofTemplate.map((v) => v.VersionNumber ?? 0));
    const versions = ofTemplate.filter(
      (v) =>
        wanted.length === 0 ||
        wanted.includes(String(v.VersionNumber)) ||
        (wanted.includes('$Latest') && v.VersionNumber === latest) ||
        (wanted.includes('$Default') && v.DefaultVersion === true),
    );
    return paged(c, versions, (items) =>
      itemSet('launchTemplateVersionSet', items, renderLaunchTemplateVersion),
    );
  },
  DescribeNatGateways: (c) =>
    paged(c, c.region.natGateways ?? [], (items) =>
      itemSet('natGatewaySet', items, renderNatGateway),
    ),
  DescribeRouteTables: (c) =>
    paged(c, c.region.routeTables ?? [], (items) =>
      itemSet('routeTableSet', items, (r) => renderRouteTable(r, c.accountId)),
    ),
  DescribeNetworkInterfaces: (c) =>
    paged(c, c.region.networkInterfaces ?? [], (items) =>
      itemSet('networkInterfaceSet', items, (n) => renderNetworkInterface(n, c.accountId)),
    ),
};

/** Slices a list by NextToken/MaxResults and appends `<nextToken>` while items remain. */
function paged<T>(c: HandlerContext, items: T[], render: (page: T[]) => string): HandlerResult {
  const token = c.params.get('NextToken');
  const start = token ? decodeToken(token) : 0;
  if (start === undefined || start > items.length) {
    return { error: 'InvalidNextToken', message: 'The token is invalid or has expired.' };
  }
  const maxResults = Number(c.params.get('MaxResults') ?? Number.POSITIVE_INFINITY);
  const size = Math.min(maxResults, c.pageSize ?? Number.POSITIVE_INFINITY);
  const end = Math.min(items.length, start + size);
  const next = end < items.length ? `<nextToken>${encodeToken(end)}</nextToken>` : '';
  return { body: render(items.slice(start, end)) + next };
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

function decodeToken(token: string): number | undefined {
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    return Number.isInteger(offset) && offset >= 0 ? offset : undefined;
  } catch {
    return undefined;
  }
}

/** Values of a Query-protocol list: `Name.1`, `Name.2`, … */
function listParam(params: URLSearchParams, name: string): string[] {
  const values: string[] = [];
  for (let i = 1; params.has(`${name}.${i}`); i += 1)
    values.push(params.get(`${name}.${i}`) as string);
  return values;
}

function ownedBy(ownerId: string | undefined, owners: string[], accountId: string): boolean {
  if (owners.length === 0) return true;
  const owner = ownerId ?? accountId;
  return owners.some((o) => (o === 'self' ? owner === accountId : o === owner));
}

/** `Credential=AKID/20240101/us-east-1/ec2/aws4_request` in a SigV4 Authorization header. */
function credentialScope(
  authorization: string | null,
): { accessKeyId: string; region: string } | undefined {
  const match = /Credential=([^/,\s]+)\/\d{8}\/([a-z0-9-]+)\/ec2\/aws4_request/.exec(
    authorization ?? '',
  );
  return match ? { accessKeyId: match[1] as string, region: match[2] as string } : undefined;
}

/** `ec2.eu-west-1.amazonaws.com`, `eu-west-1.ec2.local` and the like. */
function regionFromHost(host: string | null): string | undefined {
  const match = /(?:^|\.)([a-z]{2}(?:-[a-z]+)+-\d+)(?:\.|:|$)/.exec(host ?? '');
  return match?.[1];
}

function deniedCodes(denied: FakeEc2Options['deniedRegions']): Map<string, string> {
  if (!denied) return new Map();
  if (Array.isArray(denied))
    return new Map(denied.map((region) => [region, 'UnauthorizedOperation']));
  return new Map(Object.entries(denied));
}

function failure(code: string, message: string, requestId: string): Response {
  return new Response(errorDocument(code, message, requestId), {
    status: ERROR_STATUS[code] ?? 400,
    headers: { 'content-type': 'text/xml;charset=UTF-8' },
  });
}

/** Waits, or stops waiting as soon as the client hangs up. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
