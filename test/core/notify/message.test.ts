import { describe, expect, it } from 'bun:test';
import { buildScanNotice, noticeHeadline, renderNoticeEmail } from '../../../core/notify/message';
import { SAMPLE_FINDINGS, sampleSource } from '../../fixtures/reports/sample';

describe('buildScanNotice', () => {
  it('condenses the scan into totals, providers and the five costliest findings', () => {
    const notice = buildScanNotice(sampleSource({ currency: 'EUR' }));
    expect(notice.scan_id).toBe('scan_20261203_a1');
    expect(notice.findings).toBe(5);
    expect(notice.currency).toBe('EUR');
    expect(notice.estimated_monthly_savings).toBe(381.56);
    expect(notice.estimated_monthly_savings_usd).toBe(414.74);
    expect(notice.by_provider[0]).toEqual({
      provider: 'azure',
      label: 'Azure',
      findings: 1,
      estimated_monthly_savings: 257.89,
    });
    expect(notice.top_findings.map((f) => f.id)).toEqual([
      'fnd_0003',
      'fnd_0001',
      'fnd_0002',
      'fnd_0005',
      'fnd_0004',
    ]);
    expect(Object.keys(notice.top_findings[0] ?? {})).not.toContain('evidence');
  });
});

describe('noticeHeadline', () => {
  it('names the money and the findings, or says nothing was found', () => {
    expect(noticeHeadline(buildScanNotice(sampleSource()))).toBe(
      'CWS scan scan_20261203_a1: $414.74 monthly waste in 5 findings',
    );
    expect(noticeHeadline(buildScanNotice(sampleSource({ findings: [] })))).toBe(
      'CWS scan scan_20261203_a1 completed: no waste found',
    );
  });
});

describe('renderNoticeEmail', () => {
  it('writes text and escaped HTML bodies and mentions the attachment', () => {
    const hostile = { ...SAMPLE_FINDINGS[0]!, resource_name: '<b>x</b>' };
    const mail = renderNoticeEmail(buildScanNotice(sampleSource({ findings: [hostile] })), 'r.pdf');
    expect(mail.subject).toContain('$81.92');
    expect(mail.text).toContain('Total monthly waste: $81.92');
    expect(mail.text).toContain('The full report is attached (r.pdf).');
    expect(mail.html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(mail.html).not.toContain('<b>x</b>');
  });

  it('says nothing about an attachment when there is none', () => {
    const mail = renderNoticeEmail(buildScanNotice(sampleSource()));
    expect(mail.text).not.toContain('report is attached');
  });
});
