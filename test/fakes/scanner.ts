import type {
  CheckResult,
  FindingDraft,
  Outcome,
  Provider,
  ProviderScanner,
} from '../../core/model';

/** A scanner that reports whatever drafts the test sets, one check per account. */
export interface FakeScanner extends ProviderScanner {
  /** The drafts every later check returns (per account id: `draft.account_id` is rewritten). */
  setDrafts(drafts: FindingDraft[]): void;
  /** Makes every later check fail with this reason (null: succeed again). */
  failWith(reason: { code: string; message: string } | null): void;
}

/** Builds the fake for `provider`; it never touches the network. */
export function createFakeScanner(provider: Provider = 'aws'): FakeScanner {
  let drafts: FindingDraft[] = [];
  let failure: { code: string; message: string } | null = null;
  return {
    provider,
    async planChecks(account) {
      return {
        ok: true,
        value: [
          { id: `${account.id}:all`, account_id: account.id, region: 'us-east-1', label: 'all' },
        ],
      };
    },
    async runCheck(account): Promise<Outcome<CheckResult>> {
      if (failure) return { ok: false, reason: { ...failure, category: 'auth' } };
      return {
        ok: true,
        value: {
          resources_scanned: drafts.length + 3,
          drafts: drafts.map((draft) => ({ ...draft, account_id: account.id })),
        },
      };
    },
    setDrafts(next) {
      drafts = next;
    },
    failWith(reason) {
      failure = reason;
    },
  };
}

/** An unattached gp3 volume of `gib` GiB in us-east-1: a finding with a real table price. */
export function volumeDraft(index: number, gib = 100): FindingDraft {
  const id = `vol-${index.toString(16).padStart(17, '0')}`;
  return {
    rule_id: 'aws.ebs.unattached',
    provider: 'aws',
    account_id: '',
    region: 'us-east-1',
    resource_type: 'ebs_volume',
    resource_id: id,
    resource_name: index % 2 ? `data, "quoted" ${index}` : `Zürich-数据-${index}`,
    title: `Unattached EBS volume (${gib} GiB gp3)`,
    details: 'Available, attached to nothing.',
    evidence: { State: 'available', Size: gib, VolumeType: 'gp3' },
    action_type: 'DELETE',
    recommendation: 'Snapshot the volume, then delete it.',
    fix_command: `aws ec2 delete-volume --volume-id ${id}`,
    confidence: 'high',
    usage: [{ kind: 'storage', sku: 'ebs:gp3', gib, medium: 'ssd' }],
    fingerprint: `${id}:${gib}`,
  };
}
