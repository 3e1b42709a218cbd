#!/usr/bin/env node
// Runs the compiled tests with Node's test runner: the spec report streams to
// stdout, a TAP copy goes to a temp file whose closing counts make the last line,
// exactly "N passed, N failed" (", N skipped" when some were). Exits 1 when any
// test failed or none ran.
//
//   node scripts/run-tests.mjs                 # build/__tests__/unit and build/__tests__/e2e
//   node scripts/run-tests.mjs --unit          # unit only (also --e2e)
//   node scripts/run-tests.mjs build/__tests__/e2e/testbed.test.js __tests__/unit/x.test.ts
//
// Directories are searched for *.test.js here (Node 22+ treats test arguments
// as globs, not directories); a __tests__/*.ts path maps to its build/ output.
// Files run one at a time: the e2e tests share one Docker daemon and registries.
//
// Every run gets an id (IMAGESHIP_TEST_RUN: the tests' namespaces carry it) and
// a TMPDIR of its own, removed at the end. A snapshot of the daemons, the test
// bed's registries and the temp dir is taken first; after the tests,
// build/__tests__/suite-end/leaves-nothing-behind.test.js (a node --test of its
// own, counted in the summary) removes what the run made and fails naming
// anything of the suite's that is still there.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const suites = { unit: join(root, 'build/__tests__/unit'), e2e: join(root, 'build/__tests__/e2e') };

function usage(message) {
  console.error(`run-tests: ${message}`);
  console.error('usage: node scripts/run-tests.mjs [--unit] [--e2e] [PATH...]');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const selected = [];
const passthrough = [];
for (const arg of process.argv.slice(2)) {
  if (arg === '--unit') selected.push(suites.unit);
  else if (arg === '--e2e') selected.push(suites.e2e);
  else if (arg.startsWith('--test-name-pattern') || arg.startsWith('--test-only') || arg.startsWith('--test-skip-pattern')) passthrough.push(arg);
  else if (arg.startsWith('-')) usage(`unknown option ${arg}`);
  else {
    let p = resolve(arg);
    const rel = relative(root, p);
    if (!rel.startsWith('build') && rel.startsWith('__tests__')) p = join(root, 'build', rel).replace(/\.ts$/, '.js');
    if (!existsSync(p)) usage(`${arg} does not exist (did you run npm run build?)`);
    selected.push(p);
  }
}
if (selected.length === 0) selected.push(...Object.values(suites).filter((d) => existsSync(d)));

function collect(path, out) {
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      if (name === 'node_modules' || name === 'helpers' || name === 'fixtures') continue;
      collect(join(path, name), out);
    }
  } else if (/\.test\.(m?js)$/.test(path) || out.explicit.has(path)) {
    out.files.push(path);
  }
}
const found = { files: [], explicit: new Set(selected) };
for (const p of selected) collect(p, found);
const files = [...new Set(found.files)];

if (files.length === 0) {
  console.error('run-tests: no test files found (build first: npm run build)');
  console.log('0 passed, 0 failed');
  process.exit(1);
}

const tmp = mkdtempSync(join(tmpdir(), 'imageship-tests-'));

// The end-of-run check, when this build has it.
const suiteEnd = join(root, 'build/__tests__/suite-end');
const leakCheck = join(suiteEnd, 'leaves-nothing-behind.test.js');
const runEnv = {};
let runTmp;
if (existsSync(leakCheck)) {
  const { RUN_ID, newRunId, takeSnapshot } = await import(join(suiteEnd, 'leftovers.js'));
  const runId = RUN_ID.test(process.env.IMAGESHIP_TEST_RUN ?? '') ? process.env.IMAGESHIP_TEST_RUN : newRunId();
  runTmp = mkdtempSync(join(tmpdir(), `imageship-run-${runId}-`));
  const snapshotFile = join(tmp, 'snapshot.json');
  writeFileSync(snapshotFile, JSON.stringify(await takeSnapshot(runId, tmpdir())));
  Object.assign(runEnv, { IMAGESHIP_TEST_RUN: runId, IMAGESHIP_TEST_SNAPSHOT: snapshotFile, IMAGESHIP_TEST_TMPDIR: runTmp, TMPDIR: runTmp });
}

let interrupted = false;

/** One `node --test` over `testFiles`; resolves to its exit code and its TAP report. */
async function nodeTest(testFiles, tapFile) {
  const args = [
    '--test',
    '--test-concurrency=1',
    // A hung test must not eat CI's budget: no single test runs longer than 10 minutes.
    '--test-timeout=600000',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tapFile}`,
    ...passthrough,
    ...testFiles,
  ];
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...runEnv }, stdio: ['ignore', 'inherit', 'inherit'] });
  const forward = (sig) => {
    interrupted = true;
    child.kill(sig);
  };
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, forward);
  const code = await new Promise((res) => child.on('close', (c, s) => res(c ?? (s ? 1 : 0))));
  for (const sig of ['SIGINT', 'SIGTERM']) process.off(sig, forward);
  return { code, tap: existsSync(tapFile) ? readFileSync(tapFile, 'utf8') : '' };
}

const runs = [await nodeTest(files, join(tmp, 'report.tap'))];
// Its own node --test, after every other file has ended (node --test orders files by path).
if (runTmp && !interrupted) runs.push(await nodeTest([leakCheck], join(tmp, 'leftovers.tap')));

rmSync(tmp, { recursive: true, force: true });
if (runTmp) rmSync(runTmp, { recursive: true, force: true });
/** The last top-level "# name N" line of each report is its summary; undefined when a report has none. */
const count = (name) => {
  let total = 0;
  for (const { tap } of runs) {
    const all = [...tap.matchAll(new RegExp(`^# ${name} (\\d+)$`, 'gm'))];
    if (all.length === 0) return undefined;
    total += Number(all[all.length - 1][1]);
  }
  return total;
};
const code = runs.find((run) => run.code !== 0)?.code ?? 0;
const pass = count('pass');
const fail = count('fail');
const cancelled = count('cancelled') ?? 0;
const skipped = (count('skipped') ?? 0) + (count('todo') ?? 0);

if (pass === undefined || fail === undefined) {
  console.error(`run-tests: the test runner left no summary (exit ${code})`);
  console.log(`0 passed, 1 failed`);
  process.exit(1);
}
let failed = fail + cancelled;
process.stdout.write('\n');
if (failed === 0 && code !== 0) {
  // E.g. an error outside any test: count it, so the line agrees with the exit code.
  console.error(`run-tests: node --test exited ${code} with no failed test; counting it as one failure`);
  failed = 1;
}
if (pass + failed === 0) console.error('run-tests: no test ran');
console.log(`${pass} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || pass + failed === 0 || code !== 0 ? 1 : 0);
