import { signRpcRequest } from './alibaba/signature';

type Item = Record<string, unknown>;

/** One region as the fake serves it, in the APIs' JSON shapes (PascalCase fields). */
export interface FakeAlibabaRegion {
  disks?: Item[];
  instances?: Item[];
  snapshots?: Item[];
  eips?: Item[];
  natGateways?: Item[];
  /** Entries by SNAT table id (`stb-…`). */
  snatEntries?: Record<string, Item[]>;
  /** Entries by forward (DNAT) table id (`ftb-…`). */
  forwardEntries?: Record<string, Item[]>;
  /** Every call in the region answers 403 Forbidden.RAM. */
  denied?: boolean;
  /** Answer this many throttling errors before serving an action. */
  throttle?: Record<string, number>;
  /** Hold each answer of an action this long. */
  delayMs?: Record<string, number>;
}

/** The AccessKey pair the fake accepts and the regions it serves. */
export interface FakeAlibabaOptions {
  accessKeyId: string;
  accessKeySecret: string;
  regions: Record<string, FakeAlibabaRegion>;
  /** Largest page served whatever the caller asks; small, so that small fixtures page. */
  maxPageSize?: number;
}

/** A request the fake answered. */
export interface RecordedRpc {
  service: string;
  region: string;
  action: string;
  params: Record<string, string>;
  status: number;
  code?: string;
}

/** A running fake; point the scanner at `endpointPattern`. */
export interface FakeAlibaba {
  url: string;
  endpointPattern: string;
  calls: RecordedRpc[];
  stop(): Promise<void>;
}

const VERSIONS: Record<string, string> = { ecs: '2014-05-26', vpc: '2016-04-28' };

/**
 * Starts a fake of the Alibaba Cloud RPC APIs on `http://127.0.0.1:<ephemeral port>/{service}/
 * {region}/`: signed requests (HMAC-SHA1, checked against the known secret, nonces single-use),
 * ECS DescribeRegions/Disks/Instances/Snapshots and VPC DescribeEipAddresses/NatGateways/
 * SnatTableEntries/ForwardTableEntries with their documented JSON shapes and paging, throttling
 * errors, Forbidden.RAM for denied regions and InvalidAccessKeyId.NotFound for unknown keys.
 */
export async function startFakeAlibaba(options: FakeAlibabaOptions): Promise<FakeAlibaba> {
  const calls: RecordedRpc[] = [];
  const nonces = new Set<string>();
  const served = new Map<string, number>();

  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request) {
      const url = new URL(request.url);
      const [service = '', region = ''] = url.pathname.split('/').filter(Boolean);
      const params = await readParams(request, url);
      const response = await answer(request, service, region, params);
      const body = (await response.clone().json()) as { Code?: string };
      calls.push({
        service,
        region,
        action: params.Action ?? '',
        params,
        status: response.status,
        code: body.Code,
      });
      return response;
    },
  });

  async function answer(
    request: Request,
    service: string,
    region: string,
    params: Record<string, string>,
  ): Promise<Response> {
    // 1. Common parameters and the signature.
    const version = VERSIONS[service];
    if (!version) return rpcError(404, 'InvalidAction.NotFound', `Unknown service ${service}.`);
    if (params.Version !== version) {
      return rpcError(400, 'InvalidVersion', `Specified parameter Version is not valid.`);
    }
    if (params.Format !== 'JSON' || params.SignatureMethod !== 'HMAC-SHA1') {
      return rpcError(
        400,
        'InvalidParameter',
        'Format must be JSON and SignatureMethod HMAC-SHA1.',
      );
    }
    if (params.SignatureVersion !== '1.0' || !params.Timestamp || !params.SignatureNonce) {
      return rpcError(
        400,
        'MissingParameter',
        'SignatureVersion, Timestamp and SignatureNonce are required.',
      );
    }
    if (params.AccessKeyId !== options.accessKeyId) {
      return rpcError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    }
    const expected = signRpcRequest(request.method, params, options.accessKeySecret);
    if (params.Signature !== expected) {
      return rpcError(
        400,
        'SignatureDoesNotMatch',
        'Specified signature is not matched with our calculation.',
      );
    }
    if (nonces.has(params.SignatureNonce)) {
      return rpcError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
    }
    nonces.add(params.SignatureNonce);

    // 2. The region and the fault injections.
    const action = params.Action ?? '';
    if (params.RegionId !== region) {
      return rpcError(400, 'InvalidRegionId.Malformed', 'RegionId does not match the endpoint.');
    }
    const data = options.regions[region];
    if (!data) return rpcError(404, 'InvalidRegionId.NotFound', `Region ${region} does not exist.`);
    if (data.denied) {
      return rpcError(
        403,
        'Forbidden.RAM',
        'User not authorized to operate on the specified resource, ' +
          "or this API doesn't support RAM.",
      );
    }
    const key = `${region}/${action}`;
    const count = (served.get(key) ?? 0) + 1;
    served.set(key, count);
    if (count <= (data.throttle?.[action] ?? 0)) {
      return count % 2
        ? rpcError(400, 'Throttling.User', 'Request was denied due to user flow control.')
        : rpcError(
            503,
            'ServiceUnavailable',
            'The request has failed due to a temporary failure of the server.',
          );
    }
    const delay = data.delayMs?.[action];
    if (delay) await sleep(delay, request.signal);

    // 3. The action itself.
    return act(service, action, data, params);
  }

  function listed(
    params: Record<string, string>,
    items: Item[],
    listKey: string,
    itemKey: string,
    paging: { tokens?: boolean; maxPageSize?: number },
  ): Response {
    const cap = Math.min(paging.maxPageSize ?? 100, options.maxPageSize ?? 100);
    return listPage(params, items, listKey, itemKey, { tokens: paging.tokens, maxPageSize: cap });
  }

  function act(
    service: string,
    action: string,
    data: FakeAlibabaRegion,
    params: Record<string, string>,
  ): Response {
    const route = `${service}:${action}`;
    switch (route) {
      case 'ecs:DescribeRegions':
        return ok({
          Regions: {
            Region: Object.keys(options.regions).map((id) => ({
              RegionId: id,
              LocalName: id,
              RegionEndpoint: `ecs.${id}.aliyuncs.com`,
              Status: 'available',
            })),
          },
        });
      case 'ecs:DescribeDisks':
        return listed(params, data.disks ?? [], 'Disks', 'Disk', { tokens: true });
      case 'ecs:DescribeInstances':
        return listed(params, data.instances ?? [], 'Instances', 'Instance', { tokens: true });
      case 'ecs:DescribeSnapshots':
        return listed(params, data.snapshots ?? [], 'Snapshots', 'Snapshot', {});
      case 'vpc:DescribeEipAddresses':
        return listed(params, data.eips ?? [], 'EipAddresses', 'EipAddress', {});
      case 'vpc:DescribeNatGateways':
        return listed(params, data.natGateways ?? [], 'NatGateways', 'NatGateway', {
          maxPageSize: 50,
        });
      case 'vpc:DescribeSnatTableEntries':
        if (!params.SnatTableId)
          return rpcError(400, 'MissingParameter', 'SnatTableId is required.');
        return listed(
          params,
          data.snatEntries?.[params.SnatTableId] ?? [],
          'SnatTableEntries',
          'SnatTableEntry',
          {},
        );
      case 'vpc:DescribeForwardTableEntries':
        if (!params.ForwardTableId)
          return rpcError(400, 'MissingParameter', 'ForwardTableId is required.');
        return listed(
          params,
          data.forwardEntries?.[params.ForwardTableId] ?? [],
          'ForwardTableEntries',
          'ForwardTableEntry',
          {},
        );
      default:
        return rpcError(
          404,
          'InvalidAction.NotFound',
          'Specified api is not found, please check your url and method.',
        );
    }
  }

  const url = `http://127.0.0.1:${server.port}`;
  return {
    url,
    endpointPattern: `${url}/{service}/{region}`,
    calls,
    async stop() {
      await server.stop(true);
    },
  };
}

/**
 * A page of a list. With `MaxResults` or `NextToken` (where the API takes them) the page is
 * token-based and `TotalCount` is not meaningful; otherwise `PageNumber`/`PageSize` (default 10).
 */
function listPage(
  params: Record<string, string>,
  items: Item[],
  listKey: string,
  itemKey: string,
  paging: { tokens?: boolean; maxPageSize: number },
): Response {
  const maxPageSize = paging.maxPageSize;
  if (paging.tokens && (params.MaxResults || params.NextToken)) {
    const size = Math.min(Number(params.MaxResults ?? 10), maxPageSize);
    const offset = params.NextToken ? decodeToken(params.NextToken) : 0;
    if (offset === undefined)
      return rpcError(400, 'InvalidNextToken.Malformed', 'The specified NextToken is invalid.');
    const page = items.slice(offset, offset + size);
    const next = offset + size < items.length ? encodeToken(offset + size) : '';
    return ok({ TotalCount: items.length, NextToken: next, [listKey]: { [itemKey]: page } });
  }
  const pageNumber = Number(params.PageNumber ?? 1);
  const pageSize = Math.min(Number(params.PageSize ?? 10), maxPageSize);
  const page = items.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  return ok({
    TotalCount: items.length,
    PageNumber: pageNumber,
    PageSize: pageSize,
    [listKey]: { [itemKey]: page },
  });
}

function encodeToken(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

function decodeToken(token: string): number | undefined {
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString());
  return match ? Number(match[1]) : undefined;
}

async function readParams(request: Request, url: URL): Promise<Record<string, string>> {
  const params = Object.fromEntries(url.searchParams);
  if (request.method === 'POST') {
    Object.assign(params, Object.fromEntries(new URLSearchParams(await request.text())));
  }
  return params;
}

function ok(body: Item): Response {
  return Response.json({ RequestId: crypto.randomUUID().toUpperCase(), ...body });
}

function rpcError(status: number, code: string, message: string): Response {
  return Response.json(
    {
      RequestId: crypto.randomUUID().toUpperCase(),
      HostId: 'ecs.aliyuncs.com',
      Code: code,
      Message: message,
      Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}`,
    },
    { status },
  );
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
