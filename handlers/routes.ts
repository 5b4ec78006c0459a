import * as v from 'valibot';
import type { RouteSpec } from './route-spec';
import { AccountSchema, listAccounts } from './v1/accounts-list';
import { getFinding } from './v1/findings-get';
import { markFindingHandled } from './v1/findings-handled';
import { FindingListQuery, FindingSchema, listFindings } from './v1/findings-list';
import { cancelScan } from './v1/scans-cancel';
import { createScan, ScanAccepted, ScanCreateBody } from './v1/scans-create';
import { streamScanEvents } from './v1/scans-events';
import { getScan, ScanSchema } from './v1/scans-get';
import { listScans, ScanListQuery } from './v1/scans-list';
import { getScanProgress, ScanProgressSchema } from './v1/scans-progress';
import { getStatus, StatusResponse } from './status';
import { AuditEventSchema, listEvents } from './v1/events-list';
import { CapabilitiesResponse, createCapabilitiesHandler } from './v1/meta-capabilities';
import { CompatibilityResponse, getCompatibility } from './v1/meta-compatibility';
import { ErrorCatalogueResponse, listErrors } from './v1/meta-errors';
import { getNotificationPolicy, NotificationPolicy } from './v1/notifications-policy-get';
import {
  NotificationPolicyPatch,
  updateNotificationPolicy,
} from './v1/notifications-policy-update';
import { createOpenApiHandler } from './v1/openapi-get';
import { GeneralSettingsResponse, getGeneralSettings } from './v1/settings-general-get';
import { GeneralSettingsPatch, updateGeneralSettings } from './v1/settings-general-update';
import { getQuota, QuotaResponse } from './v1/settings-quota-get';
import { QuotaPatch, updateQuota } from './v1/settings-quota-update';
import { getScanPolicy, ScanPolicyResponse } from './v1/settings-scan-policy-get';
import { ScanPolicyPatch, updateScanPolicy } from './v1/settings-scan-policy-update';

/** The route table: the router and the OpenAPI document are both built from it. */
export const ROUTES: RouteSpec[] = [
  // Public and meta
  {
    method: 'GET',
    path: '/status',
    handler: getStatus,
    summary: 'Liveness, version and listen address',
    group: 'meta',
    isPublic: true,
    response: StatusResponse,
  },
  {
    method: 'GET',
    path: '/v1/meta/capabilities',
    handler: createCapabilitiesHandler(() => ROUTES),
    summary: 'Providers, checks and route groups',
    group: 'meta',
    response: CapabilitiesResponse,
  },
  {
    method: 'GET',
    path: '/v1/meta/compatibility',
    handler: getCompatibility,
    summary: 'Versioning, pagination and webhook-signing policy',
    group: 'meta',
    response: CompatibilityResponse,
  },
  {
    method: 'GET',
    path: '/v1/meta/errors',
    handler: listErrors,
    summary: 'The error catalogue',
    group: 'meta',
    response: ErrorCatalogueResponse,
  },
  {
    method: 'GET',
    path: '/v1/openapi.json',
    handler: createOpenApiHandler(() => ROUTES),
    summary: 'This OpenAPI document',
    group: 'meta',
  },

  // Settings and notifications
  {
    method: 'GET',
    path: '/v1/settings/general',
    handler: getGeneralSettings,
    summary: 'General settings',
    group: 'settings',
    response: GeneralSettingsResponse,
  },
  {
    method: 'PATCH',
    path: '/v1/settings/general',
    handler: updateGeneralSettings,
    summary: 'Change general settings',
    group: 'settings',
    body: GeneralSettingsPatch,
    response: GeneralSettingsResponse,
  },
  {
    method: 'GET',
    path: '/v1/settings/scan-policy',
    handler: getScanPolicy,
    summary: 'Scan-policy thresholds',
    group: 'settings',
    response: ScanPolicyResponse,
  },
  {
    method: 'PATCH',
    path: '/v1/settings/scan-policy',
    handler: updateScanPolicy,
    summary: 'Change scan-policy thresholds',
    group: 'settings',
    body: ScanPolicyPatch,
    response: ScanPolicyResponse,
  },
  {
    method: 'GET',
    path: '/v1/settings/quota',
    handler: getQuota,
    summary: 'Monthly scan quota and use',
    group: 'settings',
    response: QuotaResponse,
  },
  {
    method: 'PATCH',
    path: '/v1/settings/quota',
    handler: updateQuota,
    summary: 'Set the monthly scan limit',
    group: 'settings',
    body: QuotaPatch,
    response: QuotaResponse,
  },
  {
    method: 'GET',
    path: '/v1/notifications/policy',
    handler: getNotificationPolicy,
    summary: 'Notification trigger mode',
    group: 'notifications',
    response: NotificationPolicy,
  },
  {
    method: 'PATCH',
    path: '/v1/notifications/policy',
    handler: updateNotificationPolicy,
    summary: 'Set the notification trigger mode',
    group: 'notifications',
    body: NotificationPolicyPatch,
    response: NotificationPolicy,
  },

  // Accounts
  {
    method: 'GET',
    path: '/v1/accounts',
    handler: listAccounts,
    summary: 'Every scannable account',
    group: 'accounts',
    response: v.array(AccountSchema),
  },

  // Scans and findings
  {
    method: 'POST',
    path: '/v1/scans',
    handler: createScan,
    summary: 'Start a scan (no body: every account)',
    group: 'scans',
    body: ScanCreateBody,
    isBodyOptional: true,
    status: 202,
    response: ScanAccepted,
  },
  {
    method: 'GET',
    path: '/v1/scans',
    handler: listScans,
    summary: 'Scans, newest first',
    group: 'scans',
    query: ScanListQuery,
    isList: true,
    response: ScanSchema,
  },
  {
    method: 'GET',
    path: '/v1/scans/:id',
    handler: getScan,
    summary: 'One scan',
    group: 'scans',
    response: ScanSchema,
  },
  {
    method: 'GET',
    path: '/v1/scans/:id/progress',
    handler: getScanProgress,
    summary: 'Checks done of checks planned',
    group: 'scans',
    response: ScanProgressSchema,
  },
  {
    method: 'GET',
    path: '/v1/scans/:id/events',
    handler: streamScanEvents,
    summary: 'Progress as Server-Sent Events',
    group: 'scans',
    contentType: 'text/event-stream',
  },
  {
    method: 'POST',
    path: '/v1/scans/:id/cancel',
    handler: cancelScan,
    summary: 'Cancel a queued or running scan',
    group: 'scans',
    status: 202,
    response: ScanSchema,
  },
  {
    method: 'GET',
    path: '/v1/findings',
    handler: listFindings,
    summary: 'Findings of the latest completed scan, costliest first',
    group: 'findings',
    query: FindingListQuery,
    isList: true,
    response: FindingSchema,
  },
  {
    method: 'GET',
    path: '/v1/findings/:id',
    handler: getFinding,
    summary: 'One finding',
    group: 'findings',
    response: FindingSchema,
  },
  {
    method: 'POST',
    path: '/v1/findings/:id/handled',
    handler: markFindingHandled,
    summary: 'Mark a finding handled',
    group: 'findings',
    response: FindingSchema,
  },

  // Audit
  {
    method: 'GET',
    path: '/v1/events',
    handler: listEvents,
    summary: 'Audit log, newest first',
    group: 'audit',
    isList: true,
    response: AuditEventSchema,
  },
];
