import { describe, expect, it } from 'bun:test';
import { isNotificationTriggerMode, shouldNotify } from '../../../core/notify/policy';

const completed = (savings: number, findings: number) => ({
  status: 'completed',
  estimated_monthly_savings: savings,
  findings,
});

describe('shouldNotify', () => {
  it('notifies every completed scan in scan_complete mode, waste or not', () => {
    expect(shouldNotify({ mode: 'scan_complete' }, completed(0, 0))).toBe(true);
    expect(shouldNotify({ mode: 'scan_complete', min_savings: 1000 }, completed(5, 1))).toBe(true);
  });

  it('never notifies scans that did not complete', () => {
    for (const status of ['failed', 'canceled', 'running']) {
      const outcome = { ...completed(500, 9), status };
      expect(shouldNotify({ mode: 'scan_complete' }, outcome)).toBe(false);
      expect(shouldNotify({ mode: 'waste_only' }, outcome)).toBe(false);
    }
  });

  it('needs savings above zero and a finding in waste_only mode by default', () => {
    expect(shouldNotify({ mode: 'waste_only' }, completed(0, 0))).toBe(false);
    expect(shouldNotify({ mode: 'waste_only' }, completed(0, 3))).toBe(false);
    expect(shouldNotify({ mode: 'waste_only' }, completed(0.01, 1))).toBe(true);
  });

  it('applies min_savings as an inclusive floor', () => {
    const policy = { mode: 'waste_only' as const, min_savings: 100 };
    expect(shouldNotify(policy, completed(99.99, 4))).toBe(false);
    expect(shouldNotify(policy, completed(100, 4))).toBe(true);
  });

  it('applies min_findings as an inclusive floor', () => {
    const policy = { mode: 'waste_only' as const, min_findings: 3 };
    expect(shouldNotify(policy, completed(50, 2))).toBe(false);
    expect(shouldNotify(policy, completed(50, 3))).toBe(true);
  });

  it('still needs one finding when min_savings is zero', () => {
    const policy = { mode: 'waste_only' as const, min_savings: 0, min_findings: 0 };
    expect(shouldNotify(policy, completed(0, 0))).toBe(false);
    expect(shouldNotify(policy, completed(0, 1))).toBe(true);
  });

  it('treats null thresholds like absent ones', () => {
    const policy = { mode: 'waste_only' as const, min_savings: null, min_findings: null };
    expect(shouldNotify(policy, completed(0, 2))).toBe(false);
    expect(shouldNotify(policy, completed(1, 1))).toBe(true);
  });
});

describe('isNotificationTriggerMode', () => {
  it('accepts the two modes and nothing else', () => {
    expect(isNotificationTriggerMode('scan_complete')).toBe(true);
    expect(isNotificationTriggerMode('waste_only')).toBe(true);
    expect(isNotificationTriggerMode('always')).toBe(false);
    expect(isNotificationTriggerMode(undefined)).toBe(false);
  });
});
