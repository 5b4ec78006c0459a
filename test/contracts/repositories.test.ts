import { newId } from '../../core/ids';
import type { ScanRecord, StoredFinding } from '../../core/scan/types';
import { createAuditRepository } from '../../storage/audit-repository';
import { createChannelRepository } from '../../storage/channel-repository';
import { createCloudAccountRepository } from '../../storage/cloud-account-repository';
import { createDeliveryRepository } from '../../storage/delivery-repository';
import { createFindingRepository } from '../../storage/finding-repository';
import { createProxyRepository } from '../../storage/proxy-repository';
import { createReportRepository } from '../../storage/report-repository';
import { createScanRepository } from '../../storage/scan-repository';
import { createScheduleRepository } from '../../storage/schedule-repository';
import { createWebhookRepository } from '../../storage/webhook-repository';
import {
  describeRepositoryContract,
  rowTimeOf,
  sortRankOf,
  type RepositoryHarness,
} from './repository-contract';

function scanRecord(id: string, createdAt: string): ScanRecord {
  return {
    id,
    status: 'completed',
    trigger_source: 'api',
    request: {},
    selected_accounts: [],
    created_at: createdAt,
    started_at: createdAt,
    finished_at: createdAt,
    resources_scanned: 0,
    resources_found: 0,
    estimated_monthly_savings_usd: 0,
    carbon_kg_monthly: 0,
    accounts: [],
    inventory: null,
    includes_kubernetes: false,
    error: null,
    report_email_status: null,
    counted_toward_quota: false,
  };
}

function finding(scanId: string, i: number): StoredFinding {
  const cost = sortRankOf(i) * 1.5;
  return {
    id: newId('fnd'),
    scan_id: scanId,
    rule_id: 'aws.ebs.unattached',
    provider: 'aws',
    account_id: 'profile_contract',
    region: 'us-east-1',
    resource_type: 'ebs_volume',
    resource_id: `vol-contract${i}`,
    resource_name: `volume ${i}`,
    title: 'Unattached EBS volume',
    details: 'Not attached to any instance.',
    evidence: { state: 'available' },
    action_type: 'DELETE',
    recommendation: 'Snapshot it if needed, then delete it.',
    estimated_monthly_cost: cost,
    estimated_monthly_cost_usd: cost,
    currency: 'USD',
    price_source: 'contract',
    carbon_kg_monthly: 0,
    confidence: 'high',
    first_seen_at: rowTimeOf(i),
    handled: false,
    fingerprint: `fp-${i}`,
  };
}

const audit: RepositoryHarness = {
  noGet: 'the audit log is only ever read as a list',
  async open(store) {
    let now = new Date(rowTimeOf(0));
    const repository = createAuditRepository(store, () => now);
    return {
      async create(i) {
        now = new Date(rowTimeOf(i));
        const event = await repository.record({
          action: 'contract.row',
          target: `row-${i}`,
          details: { i },
        });
        return event.id;
      },
      list: (page) => repository.list(page),
    };
  },
};

const scans: RepositoryHarness = {
  async open(store) {
    const repository = createScanRepository(store);
    return {
      async create(i) {
        const id = newId('scan');
        await repository.create(scanRecord(id, rowTimeOf(i)));
        return id;
      },
      list: (page) => repository.list({}, page),
      get: (id) => repository.get(id),
    };
  },
};

// Findings are written with their scan's final state, so rows are made through ScanRepository.finish.
const findings: RepositoryHarness = {
  async open(store) {
    const scanRepository = createScanRepository(store);
    const repository = createFindingRepository(store);
    const scanId = newId('scan');
    await scanRepository.create(scanRecord(scanId, rowTimeOf(0)));
    return {
      async create(i) {
        const row = finding(scanId, i);
        await scanRepository.finish(scanId, {}, [row]);
        return row.id;
      },
      list: (page) => repository.list({ scan_id: scanId }, page),
      get: (id) => repository.get(id),
    };
  },
};

const reports: RepositoryHarness = {
  async open(store) {
    const repository = createReportRepository(store);
    return {
      async create(i) {
        const id = newId('rpt');
        await repository.create({
          id,
          scan_id: 'scan_contract',
          format: 'csv',
          filename: `report-${i}.csv`,
          content_type: 'text/csv',
          size_bytes: 100 + i,
          include_esg: false,
          path: `${id}.csv`,
          created_at: rowTimeOf(i),
        });
        return id;
      },
      list: (page) => repository.list({}, page),
      get: (id) => repository.get(id),
    };
  },
};

const schedules: RepositoryHarness = {
  async open(store) {
    const repository = createScheduleRepository(store);
    return {
      async create(i) {
        const id = newId('sch');
        await repository.create({
          id,
          name: `schedule ${i}`,
          enabled: true,
          run_at: null,
          interval_minutes: 60 + i,
          cron: null,
          timezone: 'UTC',
          scan: {},
          next_run_at: 1_800_000_000 + i,
          last_run_at: null,
          last_scan_id: null,
          last_error: null,
          created_at: rowTimeOf(i),
          updated_at: rowTimeOf(i),
        });
        return id;
      },
      list: (page) => repository.list(page),
      get: (id) => repository.get(id),
    };
  },
};

const webhooks: RepositoryHarness = {
  async open(store) {
    const repository = createWebhookRepository(store);
    return {
      async create(i) {
        const id = newId('whk');
        await repository.create({
          id,
          name: `hook ${i}`,
          url: `https://receiver.invalid/hook/${i}`,
          events: ['scan.completed'],
          is_active: true,
          secret: null,
          has_secret: false,
          created_at: rowTimeOf(i),
          updated_at: rowTimeOf(i),
        });
        return id;
      },
      list: (page) => repository.list(page),
      get: (id) => repository.get(id),
    };
  },
};

// Deliveries are queued in memory and made durable by persist(); the log lists one webhook's.
const deliveries: RepositoryHarness = {
  async open(store) {
    const webhookId = newId('whk');
    await createWebhookRepository(store).create({
      id: webhookId,
      name: null,
      url: 'https://receiver.invalid/hook',
      events: ['scan.completed'],
      is_active: true,
      secret: null,
      has_secret: false,
      created_at: rowTimeOf(0),
      updated_at: rowTimeOf(0),
    });
    const repository = createDeliveryRepository(store);
    return {
      async create(i) {
        const payloadId = newId('pld');
        const id = newId('dlv');
        repository.enqueue(
          { id: payloadId, event: 'scan.completed', body: `{"i":${i}}`, created_at: rowTimeOf(i) },
          [
            {
              id,
              webhook_id: webhookId,
              event: 'scan.completed',
              payload_id: payloadId,
              payload: '',
              status: 'pending',
              attempts: 0,
              next_attempt_at: rowTimeOf(i),
              last_status_code: null,
              last_error: null,
              created_at: rowTimeOf(i),
              delivered_at: null,
            },
          ],
        );
        await repository.persist();
        return id;
      },
      list: (page) => repository.listForWebhook(webhookId, page),
      get: (id) => repository.get(id),
    };
  },
};

const cloudAccounts: RepositoryHarness = {
  async open(store) {
    const repository = createCloudAccountRepository(store);
    return {
      async create(i) {
        const id = newId('acc');
        await repository.insert({
          id,
          provider: i % 2 ? 'azure' : 'alibaba',
          name: `account ${i}`,
          credentials_sealed: `sealed-${i}`,
          credentials_masked: { access_key_id: `LTAI****${i}` },
          timeout_seconds: null,
          policy_custom: null,
          proxy_profile_id: null,
          created_at: rowTimeOf(i),
          updated_at: rowTimeOf(i),
        });
        return id;
      },
      list: (page) => repository.list(page),
      get: (id) => repository.get(id),
    };
  },
};

const proxies: RepositoryHarness = {
  async open(store) {
    const repository = createProxyRepository(store);
    return {
      async create(i) {
        const id = newId('prx');
        await repository.insert({
          id,
          name: `proxy ${i}`,
          url: `http://proxy-${i}.invalid:3128`,
          username: null,
          password_sealed: null,
          created_at: rowTimeOf(i),
          updated_at: rowTimeOf(i),
        });
        return id;
      },
      list: (page) => repository.list(page),
      get: (id) => repository.get(id),
    };
  },
};

// Channels keep an unpaged list() for the notifier; the API pages with listPage().
const channels: RepositoryHarness = {
  async open(store) {
    const repository = createChannelRepository(store);
    return {
      async create(i) {
        const id = newId('chn');
        await repository.create({
          id,
          type: 'slack',
          name: `channel ${i}`,
          config: { url: `https://hooks.slack.invalid/${i}` },
          trigger_mode: null,
          min_savings: null,
          min_findings: null,
          is_active: true,
          created_at: rowTimeOf(i),
          updated_at: rowTimeOf(i),
          last_delivery: null,
        });
        return id;
      },
      list: (page) => repository.listPage(page),
      get: (id) => repository.get(id),
    };
  },
};

describeRepositoryContract('audit', audit);
describeRepositoryContract('scans', scans);
describeRepositoryContract('findings', findings);
describeRepositoryContract('reports', reports);
describeRepositoryContract('schedules', schedules);
describeRepositoryContract('webhooks', webhooks);
describeRepositoryContract('webhook deliveries', deliveries);
describeRepositoryContract('cloud accounts', cloudAccounts);
describeRepositoryContract('proxies', proxies);
describeRepositoryContract('notification channels', channels);
