import * as v from 'valibot';
import { json } from './http';
import type { Handler } from './context';

/** GET /status: public liveness and identity, no secrets. */
export const StatusResponse = v.object({
  status: v.literal('running'),
  version: v.string(),
  api_version: v.literal('v1'),
  base_url: v.string(),
  tls_enabled: v.literal(true),
  self_signed_tls: v.boolean(),
  uptime_seconds: v.number(),
});

/** Reports that the server runs, its version and where it listens. */
export const getStatus: Handler = (_request, { services }) => {
  const { app, clock } = services;
  return json({
    status: 'running',
    version: app.version,
    api_version: 'v1',
    base_url: app.base_url,
    tls_enabled: true,
    self_signed_tls: app.self_signed_tls,
    uptime_seconds: Math.max(0, Math.floor((clock().getTime() - app.started_at) / 1000)),
  });
};
