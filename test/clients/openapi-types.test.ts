import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import packageJson from '../../package.json' with { type: 'json' };
import {
  GENERATED_TYPES_PATH,
  generateClientTypes,
  renderClientTypes,
} from '../../clients/js/scripts/generate-types';
import { buildOpenApiDocument } from '../../handlers/openapi';
import { ROUTES } from '../../handlers/routes';

const REPO_ROOT = join(import.meta.dir, '..', '..');
const CLIENT_DIR = join(REPO_ROOT, 'clients', 'js');
const TSC = join(REPO_ROOT, 'node_modules', '.bin', 'tsc');

/** Runs the TypeScript compiler over one project and returns its exit code and diagnostics. */
function typeCheck(project: string): { exitCode: number; output: string } {
  const run = Bun.spawnSync([TSC, '-p', project, '--noEmit'], { cwd: REPO_ROOT });
  return { exitCode: run.exitCode, output: `${run.stdout}${run.stderr}`.trim() };
}

/** The first line where two texts differ, to point at drift without printing 3000 lines. */
function firstDifference(committed: string, generated: string): string {
  const left = committed.split('\n');
  const right = generated.split('\n');
  const index = left.findIndex((line, at) => line !== right[at]);
  const at = index === -1 ? Math.min(left.length, right.length) : index;
  return `line ${at + 1}: committed ${JSON.stringify(left[at])}, generated ${JSON.stringify(right[at])}`;
}

/** The document with one part cut out, as a server change would. */
function documentWithout(cut: (document: DocumentJson) => void): DocumentJson {
  const document = structuredClone(buildOpenApiDocument(ROUTES, packageJson.version));
  cut(document as DocumentJson);
  return document as DocumentJson;
}

type DocumentJson = Record<string, any>;

describe('the JavaScript client types generated from the OpenAPI document', () => {
  it('match the document the current route table builds', async () => {
    const committed = readFileSync(GENERATED_TYPES_PATH, 'utf8');
    const generated = await generateClientTypes();

    const drift =
      committed === generated
        ? ''
        : `${firstDifference(committed, generated)}; run npx bun clients/js/scripts/generate-types.ts`;

    expect(drift).toBe('');
  });

  it('type-check with the client, its declarations and its tests', () => {
    const build = typeCheck(join(CLIENT_DIR, 'tsconfig.json'));
    const tests = typeCheck(join(CLIENT_DIR, 'tsconfig.test.json'));

    expect(build.output).toBe('');
    expect(build.exitCode).toBe(0);
    expect(tests.output).toBe('');
    expect(tests.exitCode).toBe(0);
  });
});

// A copy of the client compiled against types generated from a changed document shows that a
// server change the client depends on breaks the build instead of the client's users.
describe('the JavaScript client against a changed server document', () => {
  let scratch: string;

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'cws-client-types-'));
  });

  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  async function checkClientAgainst(document: DocumentJson, name: string) {
    const copy = join(scratch, name);
    cpSync(join(CLIENT_DIR, 'src'), join(copy, 'src'), { recursive: true });
    cpSync(join(CLIENT_DIR, 'package.json'), join(copy, 'package.json'));
    writeFileSync(join(copy, 'src', 'generated', 'openapi.ts'), await renderClientTypes(document));
    writeFileSync(
      join(copy, 'tsconfig.json'),
      JSON.stringify({
        extends: join(CLIENT_DIR, 'tsconfig.json'),
        compilerOptions: {
          rootDir: 'src',
          typeRoots: [join(REPO_ROOT, 'node_modules', '@types')],
        },
        include: ['src'],
      }),
    );
    return typeCheck(join(copy, 'tsconfig.json'));
  }

  it('compiles against the unchanged document', async () => {
    const result = await checkClientAgainst(
      documentWithout(() => {}),
      'unchanged',
    );

    expect(result.output).toBe('');
    expect(result.exitCode).toBe(0);
  });

  it('fails to compile when a response drops a field the client types use', async () => {
    const document = documentWithout((doc) => {
      const scan = doc.paths['/v1/scans/{id}'].get.responses['200'].content['application/json'];
      delete scan.schema.properties.status;
      scan.schema.required = scan.schema.required.filter((name: string) => name !== 'status');
    });

    const result = await checkClientAgainst(document, 'no-scan-status');

    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain("Property 'status' does not exist");
  });

  it('fails to compile when a route the client calls is removed', async () => {
    const document = documentWithout((doc) => {
      delete doc.paths['/v1/webhooks/{id}/test'];
    });

    const result = await checkClientAgainst(document, 'no-webhook-test');

    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain(
      `Property '/v1/webhooks/{id}/test' does not exist on type 'Paths'`,
    );
  });

  it('fails to compile when a list route stops answering with a list', async () => {
    const document = documentWithout((doc) => {
      const findings = doc.paths['/v1/findings'].get.responses['200'].content['application/json'];
      findings.schema = findings.schema.oneOf[0].items;
    });

    const result = await checkClientAgainst(document, 'findings-not-a-list');

    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain(
      `'"/v1/findings"' is not assignable to parameter of type 'ListRoute'`,
    );
  });
});
