import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

// The layers of STYLE.md are enforced by lint: these cases lint a line of source as if it sat
// in a given project and check that a forbidden import is an error and an allowed one is not.
// ESLint runs in one child process: its ESM config cannot load inside jest's module sandbox.
const ROOT = resolve(__dirname, '..', '..');
const RUNNER = `
  const { ESLint } = require('eslint');
  const cases = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
  const RULES = ['@nx/enforce-module-boundaries', 'no-restricted-imports'];
  (async () => {
    const eslint = new ESLint({ cwd: process.cwd() });
    const out = [];
    for (const c of cases) {
      const [r] = await eslint.lintText(c.source, { filePath: c.file });
      out.push(r.messages
        .filter((m) => RULES.includes(m.ruleId))
        .map((m) => m.message));
    }
    process.stdout.write(JSON.stringify(out));
  })();
`;

type Case = [name: string, file: string, target: string];

const source = (target: string) => `import { x } from '${target}';\nexport const y = x;\n`;

function lintCases(cases: Case[]): string[][] {
  const input = cases.map(([, file, target]) => ({
    file: resolve(ROOT, file),
    source: source(target),
  }));
  const run = spawnSync(process.execPath, ['-e', RUNNER], {
    cwd: ROOT,
    input: JSON.stringify(input),
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false' },
    timeout: 120_000,
  });
  if (run.status !== 0) throw new Error(`eslint runner failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

const FORBIDDEN: Case[] = [
  ['core imports an adapter', 'libs/identity/src/lib/probe.ts', '@zen/store'],
  ['core imports another core lib', 'libs/hmac/src/lib/probe.ts', '@zen/identity'],
  ['platform imports core', 'libs/logging/src/lib/probe.ts', '@zen/identity'],
  ['adapter imports a domain lib', 'libs/store/src/lib/probe.ts', '@zen/ca'],
  ['ca imports audit', 'libs/ca/src/lib/probe.ts', '@zen/audit'],
  [
    'an app imports another app by path',
    'apps/zenctl/src/probe.ts',
    '../../control-plane/src/main',
  ],
  ['production code imports a testing entry', 'libs/ca/src/lib/probe.ts', '@zen/identity/testing'],
];

const ALLOWED: Case[] = [
  ['domain imports core', 'libs/ca/src/lib/probe.ts', '@zen/identity'],
  ['audit imports ca', 'libs/audit/src/lib/probe.ts', '@zen/ca'],
  ['an app imports a domain lib', 'apps/control-plane/src/probe.ts', '@zen/audit'],
  ['a spec imports a testing entry', 'libs/ca/src/lib/probe.spec.ts', '@zen/identity/testing'],
];

describe('module boundaries', () => {
  let forbidden: string[][];
  let allowed: string[][];

  beforeAll(() => {
    [forbidden, allowed] = [lintCases(FORBIDDEN), lintCases(ALLOWED)];
  });

  it.each(FORBIDDEN.map((c, i) => [c[0], i] as const))('refuses an import where %s', (_n, i) => {
    expect(forbidden[i].length).toBeGreaterThan(0);
  });

  it.each(ALLOWED.map((c, i) => [c[0], i] as const))('allows an import where %s', (_n, i) => {
    expect(allowed[i]).toEqual([]);
  });
});
