import * as v from 'valibot';
import type { Handler } from '../context';
import { readPage, validate } from '../http';
import { FindingListQuery, pick, respondWithFindings } from './findings-list';

/** Filters of GET /v1/k8s/findings: those of /v1/findings, the provider being fixed. */
export const K8sFindingListQuery = v.omit(FindingListQuery, ['provider']);

/** Lists the Kubernetes findings of the latest completed scan that included a cluster. */
export const listK8sFindings: Handler = (_request, { query, services }) => {
  const { page, envelope } = readPage(query);

  const filter = validate(
    K8sFindingListQuery,
    pick(query, Object.keys(K8sFindingListQuery.entries)),
  );

  const scanId =
    filter.scan_id ?? services.scanRecords.latestCompleted({ withKubernetes: true })?.id;
  return respondWithFindings(
    services,
    { ...filter, scan_id: scanId, provider: 'kubernetes' },
    page,
    envelope,
  );
};
