import { afterEach, beforeEach, describe, expect, it } from 'bun:test';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReportFiles } from '../../storage/report-files';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cws-report-files-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('createReportFiles', () => {
  it('writes a whole file readable only by its owner and leaves no temporary file behind', async () => {
    const files = createReportFiles(join(dir, 'reports'));
    const bytes = new TextEncoder().encode('%PDF-1.3 fake');
    await files.write('rpt_1.pdf', bytes);
    expect(await files.read('rpt_1.pdf')).toEqual(bytes);
    expect(readdirSync(join(dir, 'reports'))).toEqual(['rpt_1.pdf']);
    expect(statSync(join(dir, 'reports', 'rpt_1.pdf')).mode & 0o777).toBe(0o600);
  });

  it('replaces a file whole and forgets a removed one', async () => {
    const files = createReportFiles(dir);
    await files.write('rpt_2.csv', new TextEncoder().encode('old'));
    await files.write('rpt_2.csv', new TextEncoder().encode('new contents'));
    expect(new TextDecoder().decode(await files.read('rpt_2.csv'))).toBe('new contents');
    await files.remove('rpt_2.csv');
    await files.remove('rpt_2.csv');
    expect(await files.read('rpt_2.csv')).toBeUndefined();
  });

  it.each(['../escape.pdf', 'a/b.pdf', '.hidden', ''])('refuses the name %j', async (name) => {
    const files = createReportFiles(dir);
    await expect(files.write(name, new Uint8Array([1]))).rejects.toThrow('unsafe report file name');
    await expect(files.read(name)).rejects.toThrow('unsafe report file name');
  });
});
