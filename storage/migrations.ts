/** A numbered schema change, applied once at start and recorded in schema_migrations. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every schema change, oldest first. Never edit a shipped migration; add a new one. */
export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'settings, audit events, scans and findings',
    sql: `
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE audit_events (
        id TEXT PRIMARY KEY,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        details TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX audit_events_order ON audit_events (created_at, id);
      CREATE TABLE scans (
        id TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        trigger_source TEXT NOT NULL,
        request TEXT NOT NULL,
        selected_accounts TEXT NOT NULL,
        created_at TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT,
        resources_scanned INTEGER NOT NULL DEFAULT 0,
        resources_found INTEGER NOT NULL DEFAULT 0,
        estimated_monthly_savings_usd REAL NOT NULL DEFAULT 0,
        carbon_kg_monthly REAL NOT NULL DEFAULT 0,
        accounts TEXT NOT NULL DEFAULT '[]',
        inventory TEXT,
        includes_kubernetes INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        report_email_status TEXT,
        counted_toward_quota INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX scans_order ON scans (created_at, id);
      CREATE INDEX scans_status ON scans (status);
      CREATE TABLE findings (
        id TEXT PRIMARY KEY,
        scan_id TEXT NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
        rule_id TEXT NOT NULL,
        provider TEXT NOT NULL,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        resource_type TEXT NOT NULL,
        resource_id TEXT NOT NULL,
        monthly_cost_usd REAL NOT NULL,
        carbon_kg_monthly REAL NOT NULL,
        fingerprint TEXT NOT NULL,
        first_seen_at TEXT NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX findings_scan ON findings (scan_id, monthly_cost_usd DESC, id);
      CREATE INDEX findings_resource ON findings (rule_id, account_id, resource_id);
      CREATE TABLE handled_findings (
        rule_id TEXT NOT NULL,
        account_id TEXT NOT NULL,
        resource_id TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        handled_at TEXT NOT NULL,
        PRIMARY KEY (rule_id, account_id, resource_id)
      );
    `,
  },
  {
    version: 2,
    name: 'reports and notification channels',
    sql: `
      CREATE TABLE reports (
        id TEXT PRIMARY KEY,
        scan_id TEXT NOT NULL,
        format TEXT NOT NULL,
        filename TEXT NOT NULL,
        content_type TEXT NOT NULL,
        size_bytes INTEGER NOT NULL,
        include_esg INTEGER NOT NULL DEFAULT 0,
        path TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX reports_order ON reports (created_at, id);
      CREATE INDEX reports_scan ON reports (scan_id);
      CREATE TABLE notification_channels (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        name TEXT NOT NULL,
        config TEXT NOT NULL,
        trigger_mode TEXT,
        min_savings REAL,
        min_findings INTEGER,
        is_active INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        last_delivery TEXT
      );
      CREATE INDEX notification_channels_order ON notification_channels (created_at, id);
    `,
  },
  {
    version: 3,
    name: 'schedules, webhooks and webhook deliveries',
    sql: `
      CREATE TABLE schedules (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        enabled INTEGER NOT NULL DEFAULT 1,
        run_at INTEGER,
        interval_minutes INTEGER,
        timezone TEXT NOT NULL DEFAULT 'UTC',
        cron TEXT,
        scan TEXT NOT NULL DEFAULT '{}',
        next_run_at INTEGER,
        last_run_at INTEGER,
        last_scan_id TEXT,
        last_error TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX schedules_order ON schedules (created_at, id);
      CREATE INDEX schedules_next_run ON schedules (enabled, next_run_at);
      CREATE TABLE webhooks (
        id TEXT PRIMARY KEY,
        name TEXT,
        url TEXT NOT NULL,
        events TEXT NOT NULL,
        is_active INTEGER NOT NULL DEFAULT 1,
        secret TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX webhooks_order ON webhooks (created_at, id);
      CREATE TABLE webhook_payloads (
        id TEXT PRIMARY KEY,
        event TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE webhook_deliveries (
        id TEXT PRIMARY KEY,
        webhook_id TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
        event TEXT NOT NULL,
        payload_id TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        last_status_code INTEGER,
        last_error TEXT,
        created_at TEXT NOT NULL,
        delivered_at TEXT
      );
      CREATE INDEX webhook_deliveries_log ON webhook_deliveries (webhook_id, created_at, id);
      CREATE INDEX webhook_deliveries_payload ON webhook_deliveries (payload_id, status);
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at, id);
    `,
  },
  {
    version: 4,
    name: 'cloud accounts and proxy profiles',
    sql: `
      CREATE TABLE proxies (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        url TEXT NOT NULL,
        username TEXT,
        password_sealed TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX proxies_order ON proxies (created_at, id);
      CREATE TABLE cloud_accounts (
        id TEXT PRIMARY KEY,
        provider TEXT NOT NULL,
        name TEXT NOT NULL,
        credentials_sealed TEXT NOT NULL,
        credentials_masked TEXT NOT NULL,
        timeout_seconds INTEGER,
        policy_custom TEXT,
        proxy_profile_id TEXT REFERENCES proxies (id) ON DELETE RESTRICT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX cloud_accounts_order ON cloud_accounts (created_at, id);
      CREATE INDEX cloud_accounts_proxy ON cloud_accounts (proxy_profile_id);
    `,
  },
  {
    version: 5,
    name: 'completed scans by finish time',
    sql: `
      CREATE INDEX scans_finished ON scans (status, finished_at, id);
    `,
  },
  {
    version: 6,
    name: 'due schedules in key order',
    // A burst of due schedules is read in pages after a (next_run_at, id) key: without the id in
    // the index, every page sorted all the due rows again.
    sql: `
      DROP INDEX schedules_next_run;
      CREATE INDEX schedules_next_run ON schedules (enabled, next_run_at, id);
    `,
  },
];
