/**
 * Running the compiled CLI for the package e2e tests (package-image, package-download; also used by
 * verify-confirmed and copy-unreachable, which run copies through the CLI):
 * a machine's basic env, test-env/bin/docker first on PATH logging every docker call
 * (or no docker on PATH at all), and the checks both files make from outside the
 * code under test: the layer listed by GNU tar, the image run by the real daemon.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { DOCKER_WRAPPER_DIR, parseArgvLog, REPO_ROOT } from './runner.js';
import { tempDir } from './temp-dir.js';
import { loadTestbed } from './testbed.js';

export const CLI = join(REPO_ROOT, 'build', 'src', 'cli', 'main.js');
export const bed = loadTestbed();
export const swrAuth = { username: bed.username, password: bed.derivedPassword };
/** The test bed's busybox base, as a repository path on the anonymous registry. */
export const BASE_REPO = bed.baseImage.slice(bed.anonRegistry.length + 1).split(':')[0]!;
export const BASE_TAG = bed.baseImage.split(':').at(-1)!;

export interface CliRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Every docker call. */
  argv: string[][];
}


/** The CLI with only a machine's basic env; `pathWithoutDocker` leaves no docker binary on PATH at all. */
export async function runCli(args: string[], options: { cwd: string; env?: Record<string, string>; pathWithoutDocker?: boolean }): Promise<CliRun> {
  const argvLog = join(tempDir('imageship-pkg-argv-'), 'argv.jsonl');
  writeFileSync(argvLog, '');
  const nodeDir = dirname(process.execPath);
  const env: Record<string, string> = {
    HOME: process.env['HOME'] ?? '/root',
    PATH: options.pathWithoutDocker ? nodeDir : [DOCKER_WRAPPER_DIR, ...(process.env['PATH'] ?? '/usr/bin:/bin').split(delimiter)].join(delimiter),
    IMAGESHIP_ARGV_LOG: argvLog,
    TMPDIR: process.env['TMPDIR'] ?? '/tmp',
    ...options.env,
  };
  const child = spawn(process.execPath, [CLI, 'run', '--verbose', ...args], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const run = { exitCode, stdout, stderr, argv: parseArgvLog(readFileSync(argvLog, 'utf8')).map((call) => call.argv) };
  return run;
}

export const output = (run: CliRun): string => `${run.stdout}\n${run.stderr}`;

export function anonTarget(namespace: string, registry = bed.anonRegistry, tag = 'v1'): string[] {
  return ['--provider', 'generic', '--registry', registry, '--namespace', namespace, '--image', 'app', '--tags', tag];
}

/** The gzip'd layer blob, listed by GNU tar: `mode uid/gid size date time name`. */
export async function layerListing(registry: string, repository: string, digest: string): Promise<{ lines: string[]; file: string }> {
  const response = await fetch(`http://${registry}/v2/${repository}/blobs/${digest}`);
  assert.equal(response.status, 200);
  const bytes = Buffer.from(await response.arrayBuffer());
  assert.equal(`sha256:${createHash('sha256').update(bytes).digest('hex')}`, digest);
  const file = join(tempDir('imageship-pkg-layer-'), 'layer.tgz');
  writeFileSync(file, bytes);
  const lines = execFileSync('tar', ['--numeric-owner', '--full-time', '-tvzf', file], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } }).trim().split('\n');
  return { lines, file };
}

export function entryNames(lines: readonly string[]): string[] {
  return lines.map((line) => line.split(/\s+/).slice(5).join(' '));
}

/** Pulls and runs the image with the test bed's Docker daemon, then removes it. */
export function dockerRun(reference: string, args: string[] = [], flags: string[] = []): string {
  execFileSync('docker', ['pull', '-q', reference], { stdio: 'pipe' });
  try {
    return execFileSync('docker', ['run', '--rm', ...flags, reference, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } finally {
    execFileSync('docker', ['image', 'rm', '-f', reference], { stdio: 'pipe' });
  }
}

export function makeTgz(files: Record<string, { text: string; mode?: number }>, top = ''): Buffer {
  const dir = tempDir('imageship-pkg-src-');
  for (const [name, file] of Object.entries(files)) {
    const path = join(dir, top, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.text);
    chmodSync(path, file.mode ?? 0o644);
  }
  return execFileSync('tar', ['-czf', '-', '-C', dir, top === '' ? '.' : top]);
}

export function makeZip(files: Record<string, { text: string; mode?: number }>): Buffer {
  const dir = tempDir('imageship-pkg-zip-');
  for (const [name, file] of Object.entries(files)) {
    const path = join(dir, 'src', name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.text);
    chmodSync(path, file.mode ?? 0o644);
  }
  execFileSync('zip', ['-q', '-r', join(dir, 'p.zip'), '.'], { cwd: join(dir, 'src') });
  return readFileSync(join(dir, 'p.zip'));
}

export const JAR = Buffer.concat([Buffer.from('PK\x03\x04'), createHash('sha512').update('imageship jar').digest(), Buffer.alloc(40_000, 7)]);
