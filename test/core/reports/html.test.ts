import { describe, expect, it } from 'bun:test';
import { buildHtmlReport, esc } from '../../../core/reports/html';
import { SAMPLE_FINDINGS, sampleSource } from '../../fixtures/reports/sample';

const hostile = {
  ...SAMPLE_FINDINGS[0]!,
  id: 'fnd_x',
  resource_name: '<script>alert("x")</script><img src=x onerror=alert(1)>',
  title: 'Title & "quotes" \'single\'',
};

describe('buildHtmlReport', () => {
  it('is one self-contained document with a CSP that forbids external loads', () => {
    const html = buildHtmlReport(sampleSource());
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script|<link|<img|\ssrc=|\shref=|url\(/i);
  });

  it('escapes every value taken from findings', () => {
    const html = buildHtmlReport(sampleSource({ findings: [hostile] }));
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('Title &amp; &quot;quotes&quot; &#39;single&#39;');
  });

  it('has the summary, the charts and the findings table', () => {
    const html = buildHtmlReport(sampleSource());
    expect(html).toContain('$414.74');
    expect(html).toContain('Waste by provider');
    expect(html).toContain('Waste by rule');
    expect(html).toContain('backup-volume-Zürich-数据');
    expect((html.match(/<tr>/g) ?? []).length).toBe(1 + SAMPLE_FINDINGS.length);
    expect(html).toContain('style="width:100.00%"');
  });

  it('adds the ESG section only when asked', () => {
    expect(buildHtmlReport(sampleSource({ include_esg: true }))).toContain(
      'Coefficients dated 2026-11-30',
    );
    expect(buildHtmlReport(sampleSource({ include_esg: false }))).not.toContain('Carbon footprint');
  });
});

describe('esc', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(esc(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
  });
});
