import { parseDocument } from 'yaml';
import type { Outcome } from '../../model';

/** One context of a kubeconfig: names only, never credentials. */
export interface KubeconfigContext {
  name: string;
  cluster: string | null;
  namespace: string | null;
  user: string | null;
}

/** What GET /v1/k8s/contexts returns about a kubeconfig (besides its path). */
export interface KubeconfigSummary {
  current_context: string | null;
  contexts: KubeconfigContext[];
}

/**
 * Lists the contexts of a kubeconfig text. Only names are read: cluster addresses, tokens,
 * certificates and exec plugins are never copied out. A text that is not a kubeconfig fails with
 * `k8s.kubeconfig_invalid`, naming the line but never quoting it (it may hold a token).
 */
export function listContexts(text: string): Outcome<KubeconfigSummary> {
  const document = parseDocument(text);
  const error = document.errors[0];
  if (error) {
    const where = error.linePos?.[0];
    const at = where ? ` at line ${where.line}, column ${where.col}` : '';
    return invalid(`kubeconfig is not valid YAML${at} (${error.code})`);
  }
  let root: unknown;
  try {
    root = document.toJS();
  } catch {
    // toJS refuses alias bombs and similar resource-exhaustion tricks.
    return invalid('kubeconfig could not be read as data (too many aliases?)');
  }
  if (root === null || root === undefined) return { ok: true, value: emptySummary() };
  if (!isRecord(root)) return invalid('kubeconfig must be a YAML mapping');
  const entries = root.contexts ?? [];
  if (!Array.isArray(entries)) return invalid('kubeconfig "contexts" must be a list');
  const contexts: KubeconfigContext[] = [];
  for (const entry of entries) {
    if (!isRecord(entry) || typeof entry.name !== 'string' || !entry.name) continue;
    const context = isRecord(entry.context) ? entry.context : {};
    contexts.push({
      name: entry.name,
      cluster: stringOrNull(context.cluster),
      namespace: stringOrNull(context.namespace),
      user: stringOrNull(context.user),
    });
  }
  return {
    ok: true,
    value: { current_context: stringOrNull(root['current-context']), contexts },
  };
}

function emptySummary(): KubeconfigSummary {
  return { current_context: null, contexts: [] };
}

function invalid(message: string): Outcome<KubeconfigSummary> {
  return { ok: false, reason: { code: 'k8s.kubeconfig_invalid', message, category: 'invalid' } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
