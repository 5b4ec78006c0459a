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
];
