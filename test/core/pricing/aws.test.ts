import { describe, expect, it } from 'bun:test';
import { estimateCarbonKg } from '../../../core/carbon/carbon';
import { GRID_FACTORS_T_PER_KWH } from '../../../core/carbon/coefficients';
import type { Usage } from '../../../core/model';
import { quoteUsage } from '../../../core/pricing/price';
import { AWS_INSTANCE_TYPES, AWS_PRICES, AWS_VOLUME_TYPES } from '../../../core/pricing/tables/aws';

const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'sa-east-1',
];

const gp3Of1024: Usage = { kind: 'storage', sku: 'ebs:gp3', gib: 1024, medium: 'ssd' };

describe('AWS_PRICES', () => {
  it('is dated and sourced', () => {
    expect(AWS_PRICES.priced_at).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(AWS_PRICES.source_url).toStartWith('https://aws.amazon.com/');
    expect(AWS_PRICES.provider).toBe('aws');
  });

  it('prices storage, snapshots, NAT and public IPv4 in each of the 17 regions', () => {
    expect(Object.keys(AWS_PRICES.regions).sort()).toEqual([...REGIONS].sort());
    const required = [
      ...AWS_VOLUME_TYPES.map((t) => `ebs:${t}`),
      'ebs:gp3:iops',
      'ebs:gp3:throughput',
      'ebs:io1:iops',
      'ebs:io2:iops',
      'snapshot:standard',
      'snapshot:archive',
      'nat:hourly',
      'ipv4:public',
      'ec2:t3.micro',
      'ec2:m5.large',
    ];
    for (const region of REGIONS) {
      for (const sku of required) {
        const price = AWS_PRICES.regions[region]?.[sku];
        expect(price, `${region} ${sku}`).toBeGreaterThan(0);
      }
    }
  });

  it('keeps gp3 20% below gp2 in every region', () => {
    for (const region of REGIONS) {
      const prices = AWS_PRICES.regions[region] as Record<string, number>;
      expect(prices['ebs:gp3']).toBeCloseTo((prices['ebs:gp2'] as number) * 0.8, 4);
    }
  });

  it('prices a 1024 GiB gp3 volume in us-east-1 at $81.92 a month, not $0.08', () => {
    // 1024 GiB × $0.08 per GiB-month
    expect(quoteUsage(AWS_PRICES, 'us-east-1', [gp3Of1024])).toEqual({
      monthly_usd: 81.92,
      price_source: 'table:us-east-1',
    });
  });

  it('uses each region its own rate', () => {
    // 1024 × $0.0952 = $97.4848 in Frankfurt; 1024 × $0.152 = $155.648 in São Paulo
    expect(quoteUsage(AWS_PRICES, 'eu-central-1', [gp3Of1024]).monthly_usd).toBe(97.48);
    expect(quoteUsage(AWS_PRICES, 'sa-east-1', [gp3Of1024]).monthly_usd).toBe(155.65);
  });

  it('prices an unknown volume type at the gp2 rate, marked fallback', () => {
    const usage: Usage[] = [{ kind: 'storage', sku: 'ebs:gp9', gib: 100, medium: 'ssd' }];
    // 100 GiB × $0.10
    expect(quoteUsage(AWS_PRICES, 'eu-west-1', usage)).toEqual({
      monthly_usd: 10,
      price_source: 'fallback:eu-west-1',
    });
  });

  it('prices a region outside the table from us-east-1, marked fallback', () => {
    expect(quoteUsage(AWS_PRICES, 'af-south-1', [gp3Of1024])).toEqual({
      monthly_usd: 81.92,
      price_source: 'fallback:af-south-1',
    });
  });

  it('prices hourly resources at rate × 730 hours', () => {
    const nat: Usage = { kind: 'hourly', sku: 'nat:hourly', hours: 730 };
    const ipv4: Usage = { kind: 'hourly', sku: 'ipv4:public', hours: 730 };
    // $0.045 × 730 and $0.005 × 730
    expect(quoteUsage(AWS_PRICES, 'us-east-1', [nat]).monthly_usd).toBe(32.85);
    expect(quoteUsage(AWS_PRICES, 'us-east-1', [ipv4]).monthly_usd).toBe(3.65);
    // Tokyo's NAT gateway: $0.062 × 730
    expect(quoteUsage(AWS_PRICES, 'ap-northeast-1', [nat]).monthly_usd).toBe(45.26);
  });

  it('prices snapshots per GiB-month: 100 GiB standard is $5, archived $1.25', () => {
    expect(
      quoteUsage(AWS_PRICES, 'us-east-1', [
        { kind: 'snapshot', sku: 'snapshot:standard', gib: 100 },
      ]).monthly_usd,
    ).toBe(5);
    expect(
      quoteUsage(AWS_PRICES, 'us-east-1', [{ kind: 'snapshot', sku: 'snapshot:archive', gib: 100 }])
        .monthly_usd,
    ).toBe(1.25);
  });

  it('prices instance types hourly along the size ladder', () => {
    const us = AWS_PRICES.regions['us-east-1'] as Record<string, number>;
    expect(us['ec2:t3.micro']).toBe(0.0104);
    expect(us['ec2:t3.2xlarge']).toBe(0.3328);
    expect(us['ec2:m5.large']).toBe(0.096);
    expect(us['ec2:m5.24xlarge']).toBe(4.608);
    expect(us['ec2:c5.9xlarge']).toBe(1.53);
    expect(us['ec2:r5.xlarge']).toBe(0.252);
  });
});

describe('AWS_INSTANCE_TYPES', () => {
  it('gives vCPUs and memory for every instance type the table prices', () => {
    const skus = new Set(
      Object.values(AWS_PRICES.regions).flatMap((prices) =>
        Object.keys(prices).filter((sku) => sku.startsWith('ec2:')),
      ),
    );
    for (const sku of skus) expect(AWS_INSTANCE_TYPES[sku.slice(4)], sku).toBeDefined();
  });

  it('matches the published shapes of each family', () => {
    expect(AWS_INSTANCE_TYPES['t2.micro']).toEqual({ vcpus: 1, memory_gib: 1 });
    expect(AWS_INSTANCE_TYPES['t2.large']).toEqual({ vcpus: 2, memory_gib: 8 });
    expect(AWS_INSTANCE_TYPES['t3.nano']).toEqual({ vcpus: 2, memory_gib: 0.5 });
    expect(AWS_INSTANCE_TYPES['t3a.xlarge']).toEqual({ vcpus: 4, memory_gib: 16 });
    expect(AWS_INSTANCE_TYPES['m6i.4xlarge']).toEqual({ vcpus: 16, memory_gib: 64 });
    expect(AWS_INSTANCE_TYPES['c5.18xlarge']).toEqual({ vcpus: 72, memory_gib: 144 });
    expect(AWS_INSTANCE_TYPES['r5.large']).toEqual({ vcpus: 2, memory_gib: 16 });
  });
});

describe('carbon of AWS findings', () => {
  it('has a grid factor for every priced region', () => {
    for (const region of REGIONS) expect(GRID_FACTORS_T_PER_KWH.aws[region]).toBeGreaterThan(0);
  });

  it('estimates a 1024 GiB gp3 volume in us-east-1 at 0.829 kg CO2e a month', () => {
    // 1024 GiB × 1.073741824 / 1000        = 1.099511628 TB
    // × 1.2 Wh/TB-h (SSD) × 730 h × 2 (EBS replication) / 1000 = 1.926344 kWh
    // × PUE 1.135                          = 2.186401 kWh
    // × 0.379069 kg/kWh (us-east-1 grid)   = 0.828797 kg → 0.829
    expect(estimateCarbonKg('aws', 'us-east-1', [gp3Of1024])).toBe(0.829);
  });

  it('adds nothing for hourly network charges', () => {
    const ipv4: Usage = { kind: 'hourly', sku: 'ipv4:public', hours: 730 };
    expect(estimateCarbonKg('aws', 'us-east-1', [ipv4])).toBe(0);
  });
});
