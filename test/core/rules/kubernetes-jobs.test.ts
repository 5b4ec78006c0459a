import { describe, expect, it } from 'bun:test';
import { hoursAgo, job } from '../../fixtures/kubernetes/objects';
import { draftsOf, evaluate } from '../../fixtures/kubernetes/rules';

const rule = 'k8s.job.finished';

describe('k8s.job.finished', () => {
  it.each([
    [
      'a completed Job past the grace period',
      job('j', 'shop', { finished: 'Complete', finishedAt: hoursAgo(48) }),
      true,
    ],
    [
      'a failed Job past the grace period',
      job('j', 'shop', { finished: 'Failed', finishedAt: hoursAgo(48) }),
      true,
    ],
    [
      'a Job that finished within the grace period',
      job('j', 'shop', { finished: 'Complete', finishedAt: hoursAgo(2) }),
      false,
    ],
    ['a running Job', job('j', 'shop'), false],
    [
      'a Job with ttlSecondsAfterFinished (the TTL controller deletes it)',
      job('j', 'shop', { finished: 'Complete', ttl: 0 }),
      false,
    ],
    [
      'a Job a CronJob owns (its history limits prune it)',
      job('j', 'shop', { finished: 'Failed', cronJob: 'nightly' }),
      false,
    ],
    ['a Job in kube-system', job('j', 'kube-system', { finished: 'Complete' }), false],
  ])('judges %s', (_label, item, reported) => {
    const drafts = draftsOf(evaluate({ jobs: [item] }), rule);
    expect(drafts.size).toBe(reported ? 1 : 0);
  });

  it('gives the age of a Job finished days ago in days', () => {
    const output = evaluate({
      jobs: [job('migrate', 'shop', { finished: 'Complete', finishedAt: hoursAgo(288) })],
    });
    expect(draftsOf(output, rule).get('shop/job/migrate')?.details).toStartWith(
      'It finished about 12 days ago ',
    );
  });

  it('says how it ended and gives the delete command, at no cost', () => {
    const output = evaluate({
      jobs: [job('migrate', 'shop', { finished: 'Failed', finishedAt: hoursAgo(30) })],
    });
    const draft = draftsOf(output, rule).get('shop/job/migrate');
    expect(draft?.title).toBe('Job shop/migrate failed and was never cleaned up');
    expect(draft?.details).toStartWith('It finished about 30 hours ago ');
    expect(draft?.evidence.status).toBe('Failed');
    expect(draft?.fix_command).toBe('kubectl --context prod -n shop delete job migrate');
    expect(draft?.usage).toEqual([]);
  });
});
