import * as v from 'valibot';
import type { RouteSpec } from './route-spec';
import { AccountSchema, listAccounts } from './v1/accounts-list';
import {
  CloudAccountCreateBody,
  CloudAccountSchema,
  createCloudAccount,
} from './v1/cloud-accounts-create';
import { deleteCloudAccount } from './v1/cloud-accounts-delete';
import { getCloudAccount } from './v1/cloud-accounts-get';
import { listCloudAccounts } from './v1/cloud-accounts-list';
import {
  ConnectionTestBody,
  ConnectionTestResponse,
  testCloudAccountConnection,
} from './v1/cloud-accounts-test';
import { CloudAccountPatchBody, updateCloudAccount } from './v1/cloud-accounts-update';
import { createProxy, ProxyCreateBody, ProxySchema } from './v1/proxies-create';
import { deleteProxy } from './v1/proxies-delete';
import { getProxy } from './v1/proxies-get';
import { listProxies } from './v1/proxies-list';
import { ProxyTestBody, ProxyTestResponse, testProxy } from './v1/proxies-test';
import { ProxyPatchBody, updateProxy } from './v1/proxies-update';
import { getFinding } from './v1/findings-get';
import { FindingHandledBody, markFindingHandled } from './v1/findings-handled';
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
import { createOpenApiHandler, OpenApiDocumentSchema } from './v1/openapi-get';
import { GeneralSettingsResponse, getGeneralSettings } from './v1/settings-general-get';
import { GeneralSettingsPatch, updateGeneralSettings } from './v1/settings-general-update';
import { getQuota, QuotaResponse } from './v1/settings-quota-get';
import { QuotaPatch, updateQuota } from './v1/settings-quota-update';
import { getScanPolicy, ScanPolicyResponse } from './v1/settings-scan-policy-get';
import { ScanPolicyPatch, updateScanPolicy } from './v1/settings-scan-policy-update';
import { K8sContextsQuery, K8sContextsResponse, listK8sContexts } from './v1/k8s-contexts-list';
import { K8sFindingListQuery, listK8sFindings } from './v1/k8s-findings-list';
import { getK8sInventory, K8sInventoryResponse } from './v1/k8s-inventory-get';
import { createK8sScan, K8sScanAccepted, K8sScanCreateBody } from './v1/k8s-scans-create';
import {
  getK8sActionPlan,
  K8sActionPlanResponse,
  K8sReportQuery,
} from './v1/reports-k8s-action-plan';
import { getK8sGovernance, K8sGovernanceResponse } from './v1/reports-k8s-governance';
import { generateReport, ReportGenerateBody, ReportSchema } from './v1/reports-generate';
import { listReports, ReportListQuery } from './v1/reports-list';
import { getReport } from './v1/reports-get';
import { downloadReport } from './v1/reports-download';
import { deleteReport } from './v1/reports-delete';
import {
  getReportsOverview,
  ReportOverviewQuery,
  ReportOverviewResponse,
} from './v1/reports-overview';
import { getSmtpSettings, SmtpSettingsResponse } from './v1/settings-smtp-get';
import { SmtpSettingsPatch, updateSmtpSettings } from './v1/settings-smtp-update';
import {
  ChannelCreateBody,
  ChannelSchema,
  createChannel,
} from './v1/notifications-channels-create';
import { listChannels } from './v1/notifications-channels-list';
import { getChannel } from './v1/notifications-channels-get';
import { ChannelPatch, updateChannel } from './v1/notifications-channels-update';
import { deleteChannel } from './v1/notifications-channels-delete';
import { ChannelTestResponse, testChannelDelivery } from './v1/notifications-channels-test';

import { createSchedule, ScheduleCreateBody } from './v1/schedules-create';
import { deleteSchedule } from './v1/schedules-delete';
import { getSchedule, ScheduleSchema } from './v1/schedules-get';
import { listSchedules } from './v1/schedules-list';
import { runScheduleNow, ScheduleRunAccepted } from './v1/schedules-run-now';
import { SchedulePatch, updateSchedule } from './v1/schedules-update';
import { createWebhook, WebhookCreateBody } from './v1/webhooks-create';
import { deleteWebhook } from './v1/webhooks-delete';
import { DeliverySchema, listWebhookDeliveries } from './v1/webhooks-deliveries';
import { getWebhook, WebhookSchema } from './v1/webhooks-get';
import { listWebhooks } from './v1/webhooks-list';
import { testWebhook, WebhookTestResult } from './v1/webhooks-test';
import { updateWebhook, WebhookPatch } from './v1/webhooks-update';
import { getMcpCapabilities, McpCapabilitiesResponse } from './v1/mcp-capabilities';
import { JsonRpcMessage, McpRefusal, refuseMcpStream, serveMcp } from './v1/mcp-protocol';
import { toolRoute } from './v1/mcp-tools-call';
import { MCP_TOOLS } from './mcp/tools';
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
    response: OpenApiDocumentSchema,
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
  {
    method: 'GET',
    path: '/v1/settings/smtp',
    handler: getSmtpSettings,
    summary: 'SMTP settings for report e-mails (the password is never returned)',
    group: 'settings',
    response: SmtpSettingsResponse,
  },
  {
    method: 'PATCH',
    path: '/v1/settings/smtp',
    handler: updateSmtpSettings,
    summary: 'Change SMTP settings (password write-only; null clears user or password)',
    group: 'settings',
    body: SmtpSettingsPatch,
    response: SmtpSettingsResponse,
  },
  {
    method: 'GET',
    path: '/v1/notifications/channels',
    handler: listChannels,
    summary: 'Notification channels, oldest first',
    group: 'notifications',
    isList: true,
    response: ChannelSchema,
  },
  {
    method: 'POST',
    path: '/v1/notifications/channels',
    handler: createChannel,
    summary: 'Add an e-mail, Slack, Teams or webhook channel',
    group: 'notifications',
    body: ChannelCreateBody,
    status: 201,
    response: ChannelSchema,
  },
  {
    method: 'GET',
    path: '/v1/notifications/channels/:id',
    handler: getChannel,
    summary: 'One notification channel with its last delivery',
    group: 'notifications',
    response: ChannelSchema,
  },
  {
    method: 'PATCH',
    path: '/v1/notifications/channels/:id',
    handler: updateChannel,
    summary: 'Change a notification channel (not its type)',
    group: 'notifications',
    body: ChannelPatch,
    response: ChannelSchema,
  },
  {
    method: 'DELETE',
    path: '/v1/notifications/channels/:id',
    handler: deleteChannel,
    summary: 'Delete a notification channel',
    group: 'notifications',
    status: 204,
  },
  {
    method: 'POST',
    path: '/v1/notifications/channels/:id/test',
    handler: testChannelDelivery,
    summary: 'Send a test message; returns diagnostics and never counts toward quota',
    group: 'notifications',
    response: ChannelTestResponse,
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
  {
    method: 'POST',
    path: '/v1/cloud-accounts',
    handler: createCloudAccount,
    summary: 'Add an Azure or Alibaba Cloud account (credentials stored encrypted)',
    group: 'accounts',
    body: CloudAccountCreateBody,
    status: 201,
    response: CloudAccountSchema,
    errors: [
      'account.aws_managed_by_profiles',
      'account.unsupported_provider',
      'account.invalid_credentials',
    ],
  },
  {
    method: 'GET',
    path: '/v1/cloud-accounts',
    handler: listCloudAccounts,
    summary: 'Cloud accounts, oldest first (credentials masked)',
    group: 'accounts',
    isList: true,
    response: CloudAccountSchema,
  },
  {
    method: 'POST',
    path: '/v1/cloud-accounts/test',
    handler: testCloudAccountConnection,
    summary: 'Test credentials without storing them (never counts toward quota)',
    group: 'accounts',
    body: ConnectionTestBody,
    response: ConnectionTestResponse,
    errors: ['account.aws_managed_by_profiles', 'account.invalid_credentials'],
  },
  {
    method: 'GET',
    path: '/v1/cloud-accounts/:id',
    handler: getCloudAccount,
    summary: 'One cloud account (credentials masked)',
    group: 'accounts',
    response: CloudAccountSchema,
  },
  {
    method: 'PATCH',
    path: '/v1/cloud-accounts/:id',
    handler: updateCloudAccount,
    summary: 'Change a cloud account (credentials are replaced whole)',
    group: 'accounts',
    body: CloudAccountPatchBody,
    response: CloudAccountSchema,
  },
  {
    method: 'DELETE',
    path: '/v1/cloud-accounts/:id',
    handler: deleteCloudAccount,
    summary: 'Delete a cloud account and its stored credentials',
    group: 'accounts',
    status: 204,
    errors: ['resource.conflict'],
  },
  {
    method: 'POST',
    path: '/v1/proxies',
    handler: createProxy,
    summary: 'Add a proxy profile (password write-only)',
    group: 'accounts',
    body: ProxyCreateBody,
    status: 201,
    response: ProxySchema,
  },
  {
    method: 'GET',
    path: '/v1/proxies',
    handler: listProxies,
    summary: 'Proxy profiles, oldest first',
    group: 'accounts',
    isList: true,
    response: ProxySchema,
  },
  {
    method: 'POST',
    path: '/v1/proxies/test',
    handler: testProxy,
    summary: 'Ask a proxy for a CONNECT tunnel to a target (never counts toward quota)',
    group: 'accounts',
    body: ProxyTestBody,
    response: ProxyTestResponse,
  },
  {
    method: 'GET',
    path: '/v1/proxies/:id',
    handler: getProxy,
    summary: 'One proxy profile',
    group: 'accounts',
    response: ProxySchema,
  },
  {
    method: 'PATCH',
    path: '/v1/proxies/:id',
    handler: updateProxy,
    summary: 'Change a proxy profile',
    group: 'accounts',
    body: ProxyPatchBody,
    response: ProxySchema,
  },
  {
    method: 'DELETE',
    path: '/v1/proxies/:id',
    handler: deleteProxy,
    summary: 'Delete a proxy profile no account uses',
    group: 'accounts',
    status: 204,
    errors: ['resource.conflict'],
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
    errors: [
      'scan.unknown_accounts',
      'scan.no_active_checks',
      'scan.too_many_active',
      'quota.exceeded',
      'k8s.kubectl_not_found',
      'k8s.kubeconfig_not_found',
      'k8s.kubeconfig_invalid',
      'k8s.context_not_found',
    ],
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
    errors: ['scan.not_cancelable'],
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
    summary: 'Mark a finding handled (or open again with handled: false)',
    group: 'findings',
    response: FindingSchema,
    body: FindingHandledBody,
    isBodyOptional: true,
  },

  // Kubernetes
  {
    method: 'GET',
    path: '/v1/k8s/contexts',
    handler: listK8sContexts,
    summary: 'Contexts of a kubeconfig (read directly; never credentials)',
    group: 'kubernetes',
    query: K8sContextsQuery,
    response: K8sContextsResponse,
    errors: ['k8s.kubeconfig_not_found', 'k8s.kubeconfig_invalid'],
  },
  {
    method: 'POST',
    path: '/v1/k8s/scans',
    handler: createK8sScan,
    summary: 'Scan a cluster context with the local kubectl, read-only',
    group: 'kubernetes',
    body: K8sScanCreateBody,
    isBodyOptional: true,
    status: 202,
    response: K8sScanAccepted,
    errors: [
      'scan.unknown_accounts',
      'scan.no_active_checks',
      'scan.too_many_active',
      'quota.exceeded',
      'k8s.kubectl_not_found',
      'k8s.kubeconfig_not_found',
      'k8s.kubeconfig_invalid',
      'k8s.context_not_found',
    ],
  },
  {
    method: 'GET',
    path: '/v1/k8s/findings',
    handler: listK8sFindings,
    summary: 'Kubernetes findings of the latest scan that included a cluster',
    group: 'kubernetes',
    query: K8sFindingListQuery,
    isList: true,
    response: FindingSchema,
  },
  {
    method: 'GET',
    path: '/v1/k8s/inventory',
    handler: getK8sInventory,
    summary: 'Counts and lists per kind from the latest scan that included a cluster',
    group: 'kubernetes',
    response: K8sInventoryResponse,
  },
  {
    method: 'GET',
    path: '/v1/reports/k8s-governance',
    handler: getK8sGovernance,
    summary: 'Kubernetes governance: totals, categories, offenders, clusters, actions',
    group: 'kubernetes',
    query: K8sReportQuery,
    response: K8sGovernanceResponse,
  },
  {
    method: 'GET',
    path: '/v1/reports/k8s-action-plan',
    handler: getK8sActionPlan,
    summary: 'Prioritised Kubernetes actions with their kubectl commands',
    group: 'kubernetes',
    query: K8sReportQuery,
    response: K8sActionPlanResponse,
  },

  // Reports (fixed /v1/reports/<name> paths stay above /v1/reports/:id: the first match wins)
  {
    method: 'POST',
    path: '/v1/reports/generate',
    handler: generateReport,
    summary: 'Build a PDF, CSV, JSON or HTML report (default: the latest completed scan)',
    group: 'reports',
    body: ReportGenerateBody,
    status: 201,
    response: ReportSchema,
    errors: ['report.source_not_found', 'resource.not_found'],
  },
  {
    method: 'GET',
    path: '/v1/reports/overview',
    handler: getReportsOverview,
    summary: 'Totals, by provider, account and rule, and the daily trend over window_days',
    group: 'reports',
    query: ReportOverviewQuery,
    response: ReportOverviewResponse,
  },
  {
    method: 'GET',
    path: '/v1/reports',
    handler: listReports,
    summary: 'Generated reports, newest first',
    group: 'reports',
    query: ReportListQuery,
    isList: true,
    response: ReportSchema,
  },
  {
    method: 'GET',
    path: '/v1/reports/:id',
    handler: getReport,
    summary: 'One report',
    group: 'reports',
    response: ReportSchema,
  },
  {
    method: 'GET',
    path: '/v1/reports/:id/download',
    handler: downloadReport,
    summary: 'The report file, as an attachment',
    group: 'reports',
    contentType: 'application/octet-stream',
  },
  {
    method: 'DELETE',
    path: '/v1/reports/:id',
    handler: deleteReport,
    summary: 'Delete a report and its file',
    group: 'reports',
    status: 204,
  },

  // Schedules
  {
    method: 'POST',
    path: '/v1/schedules',
    handler: createSchedule,
    summary: 'Create a schedule (run_at + interval_minutes, or cron, in a time zone)',
    group: 'schedules',
    body: ScheduleCreateBody,
    status: 201,
    response: ScheduleSchema,
    errors: ['scan.unknown_accounts'],
  },
  {
    method: 'GET',
    path: '/v1/schedules',
    handler: listSchedules,
    summary: 'Schedules, oldest first',
    group: 'schedules',
    isList: true,
    response: ScheduleSchema,
  },
  {
    method: 'GET',
    path: '/v1/schedules/:id',
    handler: getSchedule,
    summary: 'One schedule with its next and last run',
    group: 'schedules',
    response: ScheduleSchema,
  },
  {
    method: 'PATCH',
    path: '/v1/schedules/:id',
    handler: updateSchedule,
    summary: 'Change a schedule',
    group: 'schedules',
    body: SchedulePatch,
    response: ScheduleSchema,
    errors: ['scan.unknown_accounts'],
  },
  {
    method: 'DELETE',
    path: '/v1/schedules/:id',
    handler: deleteSchedule,
    summary: 'Delete a schedule',
    group: 'schedules',
    status: 204,
  },
  {
    method: 'POST',
    path: '/v1/schedules/:id/run-now',
    handler: runScheduleNow,
    summary: "Start the schedule's scan now (its next run stays)",
    group: 'schedules',
    status: 202,
    response: ScheduleRunAccepted,
    errors: [
      'scan.unknown_accounts',
      'scan.no_active_checks',
      'scan.too_many_active',
      'quota.exceeded',
      'k8s.kubectl_not_found',
      'k8s.kubeconfig_not_found',
      'k8s.kubeconfig_invalid',
      'k8s.context_not_found',
    ],
  },

  // Webhooks
  {
    method: 'POST',
    path: '/v1/webhooks',
    handler: createWebhook,
    summary: 'Create a webhook (the secret is write-only)',
    group: 'webhooks',
    body: WebhookCreateBody,
    status: 201,
    response: WebhookSchema,
  },
  {
    method: 'GET',
    path: '/v1/webhooks',
    handler: listWebhooks,
    summary: 'Webhooks, oldest first',
    group: 'webhooks',
    isList: true,
    response: WebhookSchema,
  },
  {
    method: 'GET',
    path: '/v1/webhooks/:id',
    handler: getWebhook,
    summary: 'One webhook',
    group: 'webhooks',
    response: WebhookSchema,
  },
  {
    method: 'PATCH',
    path: '/v1/webhooks/:id',
    handler: updateWebhook,
    summary: 'Change a webhook',
    group: 'webhooks',
    body: WebhookPatch,
    response: WebhookSchema,
  },
  {
    method: 'DELETE',
    path: '/v1/webhooks/:id',
    handler: deleteWebhook,
    summary: 'Delete a webhook and its delivery log',
    group: 'webhooks',
    status: 204,
  },
  {
    method: 'POST',
    path: '/v1/webhooks/:id/test',
    handler: testWebhook,
    summary: 'Send a signed webhook.test delivery now',
    group: 'webhooks',
    response: WebhookTestResult,
  },
  {
    method: 'GET',
    path: '/v1/webhooks/:id/deliveries',
    handler: listWebhookDeliveries,
    summary: 'Delivery log, newest first: attempts, status codes, next retry',
    group: 'webhooks',
    isList: true,
    response: DeliverySchema,
  },

  // MCP: REST tools and the protocol itself
  {
    method: 'GET',
    path: '/v1/mcp/capabilities',
    handler: getMcpCapabilities,
    summary: 'MCP tools with their JSON input schemas',
    group: 'mcp',
    response: McpCapabilitiesResponse,
  },
  ...MCP_TOOLS.map(toolRoute),
  {
    method: 'POST',
    path: '/mcp',
    handler: serveMcp,
    summary: 'Model Context Protocol over streamable HTTP (stateless, JSON responses)',
    group: 'mcp',
    body: JsonRpcMessage,
    response: JsonRpcMessage,
  },
  {
    method: 'GET',
    path: '/mcp',
    handler: refuseMcpStream,
    summary: 'No server-sent stream: the MCP endpoint is stateless (405)',
    group: 'mcp',
    status: 405,
    response: McpRefusal,
  },
  {
    method: 'DELETE',
    path: '/mcp',
    handler: refuseMcpStream,
    summary: 'No session to end: the MCP endpoint is stateless (405)',
    group: 'mcp',
    status: 405,
    response: McpRefusal,
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
