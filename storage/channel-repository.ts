import type { SqlValue } from 'sql.js';
import { toPage } from '../core/pagination';
import type {
  ChannelConfig,
  ChannelDelivery,
  ChannelRepository,
  ChannelType,
  NotificationChannel,
} from '../core/notify/channels';
import type { NotificationTriggerMode } from '../core/notify/policy';
import { SecretOpenError, type SecretBox } from '../core/secrets';
import type { Row, Store } from './database';

const COLUMNS = [
  'id',
  'type',
  'name',
  'config',
  'trigger_mode',
  'min_savings',
  'min_findings',
  'is_active',
  'created_at',
  'updated_at',
  'last_delivery',
] as const;

/**
 * Notification channels in the notification_channels table, oldest first. A Slack or Teams URL is
 * itself a credential, so with a SecretBox the config is stored sealed (AES-256-GCM under the
 * master key); a config another key sealed reads back empty and deliveries say so.
 */
export function createChannelRepository(store: Store, box?: SecretBox): ChannelRepository {
  const toRow = (channel: Partial<NotificationChannel>) => rowOf(channel, box);
  const fromRow = (row: Row) => channelOf(row, box);
  return {
    create(channel) {
      return store.write(() => store.insert('notification_channels', toRow(channel)));
    },
    get(id) {
      const row = store.get('SELECT * FROM notification_channels WHERE id = ?', [id]);
      return row ? fromRow(row) : undefined;
    },
    list() {
      return store.all('SELECT * FROM notification_channels ORDER BY created_at, id').map(fromRow);
    },
    listPage({ limit, after }) {
      const rows = after
        ? store.all(
            `SELECT * FROM notification_channels WHERE (created_at, id) > (?, ?)
             ORDER BY created_at, id LIMIT ?`,
            [String(after.key), after.id, limit + 1],
          )
        : store.all('SELECT * FROM notification_channels ORDER BY created_at, id LIMIT ?', [
            limit + 1,
          ]);
      return toPage(rows.map(fromRow), limit, (channel) => ({
        key: channel.created_at,
        id: channel.id,
      }));
    },
    update(id, patch) {
      const row = toRow(patch);
      const columns = Object.keys(row).filter((column) => column !== 'id');
      if (!columns.length) return Promise.resolve();
      return store.write(() =>
        store.run(
          `UPDATE notification_channels SET ${columns.map((c) => `${c} = ?`).join(', ')}
           WHERE id = ?`,
          [...columns.map((column) => row[column] as SqlValue), id],
        ),
      );
    },
    delete(id) {
      return store.write(() => {
        store.run('DELETE FROM notification_channels WHERE id = ?', [id]);
        return store.changes() > 0;
      });
    },
    recordDelivery(id, delivery) {
      return store.write(() =>
        store.run('UPDATE notification_channels SET last_delivery = ? WHERE id = ?', [
          JSON.stringify(delivery),
          id,
        ]),
      );
    },
  };
}

function rowOf(channel: Partial<NotificationChannel>, box?: SecretBox): Record<string, SqlValue> {
  const row: Record<string, SqlValue> = {};
  for (const column of COLUMNS) {
    const value = channel[column];
    if (value === undefined) continue;
    if (column === 'config') {
      row[column] = box ? box.seal(JSON.stringify(value)) : JSON.stringify(value);
    } else if (column === 'last_delivery') {
      row[column] = value === null ? null : JSON.stringify(value);
    } else if (column === 'is_active') {
      row[column] = value ? 1 : 0;
    } else {
      row[column] = value as SqlValue;
    }
  }
  return row;
}

function channelOf(row: Row, box?: SecretBox): NotificationChannel {
  return {
    id: String(row.id),
    type: String(row.type) as ChannelType,
    name: String(row.name),
    config: readConfig(String(row.config), box),
    trigger_mode: (row.trigger_mode ?? null) as NotificationTriggerMode | null,
    min_savings: row.min_savings === null ? null : Number(row.min_savings),
    min_findings: row.min_findings === null ? null : Number(row.min_findings),
    is_active: row.is_active === 1,
    created_at: String(row.created_at),
    updated_at: String(row.updated_at),
    last_delivery:
      typeof row.last_delivery === 'string'
        ? (JSON.parse(row.last_delivery) as ChannelDelivery)
        : null,
  };
}

/** Plain JSON (stored without a box) or sealed JSON; unreadable sealed text gives an empty config. */
function readConfig(stored: string, box?: SecretBox): ChannelConfig {
  if (stored.startsWith('{')) return JSON.parse(stored) as ChannelConfig;
  if (!box) return {};
  try {
    return JSON.parse(box.open(stored)) as ChannelConfig;
  } catch (error) {
    if (error instanceof SecretOpenError) return {};
    throw error;
  }
}
