/** @cloud-waste-scanner/client: a typed client of the CWS Local API v1 and webhook verification. */
export {
  CwsClient,
  type CallOptions,
  type CwsClientOptions,
  type QueryParams,
  type RequestOptions,
  type WaitForScanOptions,
} from './client.js';
export { CwsError } from './errors.js';
export {
  signWebhookPayload,
  verifyWebhookSignature,
  type WebhookSignatureInput,
} from './webhooks.js';
export type * from './types.js';
