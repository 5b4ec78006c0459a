import { beforeEach, describe, expect, it } from 'bun:test';
import type { DeliveryAttempt, WebhookDelivery, WebhookPayload } from '../../core/webhooks/types';
import { Store } from '../../storage/database';
import { createDeliveryRepository } from '../../storage/delivery-repository';
import { createWebhookRepository } from '../../storage/webhook-repository';

let store: Store;
let repository: ReturnType<typeof createDeliveryRepository>;

beforeEach(async () => {
  store = await Store.open();
  repository = createDeliveryRepository(store);
  const webhooks = createWebhookRepository(store);
  for (const id of ['whk_a', 'whk_b']) {
    await webhooks.create({
      id,
      name: null,
      url: `https://example.com/${id}`,
      events: ['scan.completed'],
      is_active: true,
      secret: null,
      has_secret: false,
      created_at: '2026-12-01T00:00:00.000Z',
      updated_at: '2026-12-01T00:00:00.000Z',
    });
  }
});

function payload(id: string): WebhookPayload {
  return {
    id,
    event: 'scan.completed',
    body: `{"id":"${id}"}`,
    created_at: '2026-12-01T00:00:00.000Z',
  };
}

function delivery(
  id: string,
  webhookId: string,
  payloadId: string,
  dueAt: string,
): WebhookDelivery {
  return {
    id,
    webhook_id: webhookId,
    event: 'scan.completed',
    payload_id: payloadId,
    payload: '',
    status: 'pending',
    attempts: 0,
    next_attempt_at: dueAt,
    last_status_code: null,
    last_error: null,
    created_at: dueAt,
    delivered_at: null,
  };
}

const delivered: DeliveryAttempt = {
  status: 'delivered',
  attempts: 1,
  next_attempt_at: null,
  last_status_code: 200,
  last_error: null,
  delivered_at: '2026-12-01T00:00:05.000Z',
};

const payloadCount = () =>
  store.get<{ n: number }>('SELECT count(*) AS n FROM webhook_payloads')?.n;

describe('the delivery repository', () => {
  it('shares one body between the deliveries of an event and drops it once none is pending', () => {
    repository.enqueue(payload('whe_1'), [
      delivery('dlv_1', 'whk_a', 'whe_1', '2026-12-01T00:00:01.000Z'),
      delivery('dlv_2', 'whk_b', 'whe_1', '2026-12-01T00:00:01.000Z'),
    ]);
    const due = repository.listDue('2026-12-01T00:00:02.000Z', 10, new Set());
    expect(due.map((d) => [d.id, d.payload])).toEqual([
      ['dlv_1', '{"id":"whe_1"}'],
      ['dlv_2', '{"id":"whe_1"}'],
    ]);
    repository.recordAttempts([{ id: 'dlv_1', attempt: delivered }]);
    expect(payloadCount()).toBe(1);
    expect(repository.get('dlv_2')!.payload).toBe('{"id":"whe_1"}');
    repository.recordAttempts([
      { id: 'dlv_2', attempt: { ...delivered, status: 'failed', last_status_code: 500 } },
    ]);
    expect(payloadCount()).toBe(0);
    expect(repository.get('dlv_1')).toMatchObject({ status: 'delivered', payload: '' });
  });

  it('lists due deliveries oldest first, leaving out excluded and future ones', () => {
    repository.enqueue(payload('whe_1'), [
      delivery('dlv_3', 'whk_a', 'whe_1', '2026-12-01T00:00:03.000Z'),
      delivery('dlv_1', 'whk_a', 'whe_1', '2026-12-01T00:00:01.000Z'),
      delivery('dlv_2', 'whk_b', 'whe_1', '2026-12-01T00:00:02.000Z'),
      delivery('dlv_9', 'whk_b', 'whe_1', '2026-12-01T00:09:00.000Z'),
    ]);
    const now = '2026-12-01T00:00:05.000Z';
    expect(repository.listDue(now, 2, new Set()).map((d) => d.id)).toEqual(['dlv_1', 'dlv_2']);
    expect(repository.listDue(now, 5, new Set(['dlv_2'])).map((d) => d.id)).toEqual([
      'dlv_1',
      'dlv_3',
    ]);
    expect(repository.soonestDue(new Set(['dlv_1', 'dlv_2', 'dlv_3']))).toBe(
      '2026-12-01T00:09:00.000Z',
    );
    repository.recordAttempts([
      {
        id: 'dlv_1',
        attempt: { ...delivered, status: 'pending', next_attempt_at: '2026-12-01T00:01:00.000Z' },
      },
    ]);
    expect(repository.listDue(now, 5, new Set()).map((d) => d.id)).toEqual(['dlv_2', 'dlv_3']);
  });

  it('keeps the newest finished deliveries of each pruned webhook and every pending one', () => {
    repository.enqueue(
      payload('whe_1'),
      Array.from({ length: 6 }, (_, index) =>
        delivery(`dlv_${index}`, 'whk_a', 'whe_1', `2026-12-01T00:00:0${index}.000Z`),
      ),
    );
    repository.recordAttempts(
      [0, 1, 2, 3].map((index) => ({ id: `dlv_${index}`, attempt: delivered })),
    );
    repository.prune(['whk_a'], 2);
    const log = repository.listForWebhook('whk_a', { limit: 50 }).items;
    expect(log.map((d) => d.id)).toEqual(['dlv_5', 'dlv_4', 'dlv_3', 'dlv_2']);
    expect(log.map((d) => d.status)).toEqual(['pending', 'pending', 'delivered', 'delivered']);
  });

  it('drops the log and unneeded bodies with their webhook', async () => {
    repository.enqueue(payload('whe_1'), [
      delivery('dlv_1', 'whk_a', 'whe_1', '2026-12-01T00:00:01.000Z'),
    ]);
    repository.enqueue(payload('whe_2'), [
      delivery('dlv_2', 'whk_a', 'whe_2', '2026-12-01T00:00:01.000Z'),
      delivery('dlv_3', 'whk_b', 'whe_2', '2026-12-01T00:00:01.000Z'),
    ]);
    expect(await createWebhookRepository(store).remove('whk_a')).toBe(true);
    expect(repository.get('dlv_1')).toBeUndefined();
    expect(store.all('SELECT id FROM webhook_payloads')).toEqual([{ id: 'whe_2' }]);
    expect(repository.get('dlv_3')!.payload).toBe('{"id":"whe_2"}');
  });
});
