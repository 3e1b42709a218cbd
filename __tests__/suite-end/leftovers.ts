/**
 * What a test run leaves on the machine, and the run's own clean-up.
 *
 * scripts/run-tests.mjs gives every run an id (IMAGESHIP_TEST_RUN, in every
 * namespace uniqueNamespace() makes) and a TMPDIR of its own, and takes a
 * snapshot before the first test. At the end, leaves-nothing-behind.test.ts
 * sweeps what belongs to this run for sure (its namespaces in the test bed's
 * registries and the daemons' images, stopped build containers, dangling
 * images its builds left) and then names everything still there that was not
 * in the snapshot and matches the suite's names: that is a leak.
 *
 * Other runs may share the machine (the test bed is shared): their namespaces
 * carry another run id and are left alone, and only stopped containers and
 * dangling images older than a minute are swept, so a build in progress is
 * never touched. What cannot be told apart from another run's (a temp dir, a
 * container, an image without this run's id) counts only when no other test
 * run was seen at the start or the end of this one.
 */
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { catalog, deleteManifest, listTags, manifestDigest, type BasicAuth } from '../helpers/registry-api.js';
import { otherTestRuns } from './other-runs.js';

export interface Daemon {
  readonly name: string;
  /** The docker CLI to use for it. */
  readonly docker: string;
  /** DOCKER_HOST for it ('' = the CLI's default). */
  readonly host: string;
}

export interface TestBedRegistry {
  /** host:port */
  readonly address: string;
  readonly auth: BasicAuth | undefined;
  /** The registry's storage root (its repositories live under docker/registry/v2/repositories). */
  readonly storage: string | undefined;
}

export interface Snapshot {
  readonly runId: string;
  /** Pids of other test runs going on when this one started. */
  readonly otherRuns: readonly number[];
  /** ISO time the run started. */
  readonly startedAt: string;
  /** The real temp dir (the run's TMPDIR is a folder inside it) and its `imageship-*` entries. */
  readonly tmpRoot: string;
  readonly tmpEntries: readonly string[];
  /** Per daemon name: `ID REPOSITORY:TAG` of every image; container ids. */
  readonly images: Readonly<Record<string, readonly string[]>>;
  readonly containers: Readonly<Record<string, readonly string[]>>;
  /** Per registry address: its repositories. */
  readonly repositories: Readonly<Record<string, readonly string[]>>;
}

/** `r` and four base-36 characters: short, because ACR namespaces hold at most 30. */
export const RUN_ID = /^r[a-z0-9]{4}$/;

export function newRunId(): string {
  return `r${Math.floor(Math.random() * 36 ** 4)
    .toString(36)
    .padStart(4, '0')}`;
}

/** What uniqueNamespace() makes: `e2e-<label>-<run id>-<random>`. Returns the run id, or undefined for any other name. */
export function runIdOfNamespace(namespace: string): string | undefined {
  return /^e2e-[a-z0-9-]+-(r[a-z0-9]{4})-[a-z0-9]+$/.exec(namespace)?.[1];
}

/** Names the suite gives what it makes: `e2e-*` namespaces and `imageship-*` images and temp dirs. */
export function isSuiteName(name: string): boolean {
  return /^(e2e|imageship)-/.test(name);
}

// ---------------------------------------------------------------- the test bed

function testbedStateDir(): string {
  return process.env['IMAGESHIP_TESTBED'] || '/tmp/imageship-testbed';
}

function testbedEnv(): Record<string, string> {
  const vars: Record<string, string> = {};
  let text = '';
  try {
    text = readFileSync(join(testbedStateDir(), 'env'), 'utf8');
  } catch {
    return vars;
  }
  for (const line of text.split('\n')) {
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) vars[m[1]!] = m[2]!.replace(/^'(.*)'$/, '$1').replace(/\\(.)/g, '$1');
  }
  return vars;
}

/** The daemons the suite builds on: the system one and, when the test bed has them, the two Docker 26 ones. */
export function testDaemons(): Daemon[] {
  const vars = testbedEnv();
  const daemons: Daemon[] = [{ name: 'docker', docker: 'docker', host: process.env['DOCKER_HOST'] ?? '' }];
  const bin = vars['TESTBED_DOCKER26_BIN'];
  if (bin && existsSync(join(bin, 'docker'))) {
    if (vars['TESTBED_DOCKER26_HOST']) daemons.push({ name: 'docker26', docker: join(bin, 'docker'), host: vars['TESTBED_DOCKER26_HOST'] });
    if (vars['TESTBED_DOCKER26C_HOST']) daemons.push({ name: 'docker26c', docker: join(bin, 'docker'), host: vars['TESTBED_DOCKER26C_HOST'] });
  }
  return daemons;
}

/** The test bed's two registries, with the SWR one's login and each one's storage root. */
export function testBedRegistries(): TestBedRegistry[] {
  const vars = testbedEnv();
  const registries: TestBedRegistry[] = [];
  const storageOf = (dir: string): string | undefined => {
    try {
      const config = parseYaml(readFileSync(join(testbedStateDir(), dir, 'config.yml'), 'utf8')) as { storage?: { filesystem?: { rootdirectory?: string } } };
      return config.storage?.filesystem?.rootdirectory;
    } catch {
      return undefined;
    }
  };
  if (vars['TESTBED_SWR_REGISTRY'] && vars['TESTBED_REGION'] && vars['TESTBED_AK'] && vars['TESTBED_SK']) {
    const password = createHmac('sha256', vars['TESTBED_SK']).update(vars['TESTBED_AK']).digest('hex');
    registries.push({ address: vars['TESTBED_SWR_REGISTRY'], auth: { username: `${vars['TESTBED_REGION']}@${vars['TESTBED_AK']}`, password }, storage: storageOf('swr') });
  }
  if (vars['TESTBED_ANON_REGISTRY']) registries.push({ address: vars['TESTBED_ANON_REGISTRY'], auth: undefined, storage: storageOf('anon') });
  return registries;
}

// ---------------------------------------------------------------- docker

function docker(daemon: Daemon, args: readonly string[]): Promise<string> {
  const env = { ...process.env, ...(daemon.host ? { DOCKER_HOST: daemon.host } : {}) };
  return new Promise((resolve, reject) => {
    execFile(daemon.docker, [...args], { env, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${daemon.name}: docker ${args.join(' ')}: ${stderr.trim() || error.message}`));
      else resolve(stdout);
    });
  });
}

async function reachable(daemon: Daemon): Promise<boolean> {
  return docker(daemon, ['version', '--format', '{{.Server.Version}}']).then(
    () => true,
    () => false,
  );
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

/** `ID REPOSITORY:TAG` of every image (dangling ones as `ID <none>:<none>`). */
async function listImages(daemon: Daemon): Promise<string[]> {
  return lines(await docker(daemon, ['image', 'ls', '--no-trunc', '--format', '{{.ID}} {{.Repository}}:{{.Tag}}']));
}

async function listContainers(daemon: Daemon): Promise<string[]> {
  return lines(await docker(daemon, ['ps', '-a', '--no-trunc', '--format', '{{.ID}}']));
}

interface ContainerFacts {
  id: string;
  created: Date;
  status: string;
  /** The image id the container runs. */
  image: string;
  /** The image as the container was created from it (a reference or an id). */
  configImage: string;
  command: string;
}

async function inspectContainers(daemon: Daemon, ids: readonly string[]): Promise<ContainerFacts[]> {
  if (ids.length === 0) return [];
  const out = await docker(daemon, ['container', 'inspect', '--format', '{{.Id}}\t{{.Created}}\t{{.State.Status}}\t{{.Image}}\t{{.Config.Image}}\t{{json .Config.Cmd}}', ...ids]).catch(() => '');
  return lines(out).map((line) => {
    const [id = '', created = '', status = '', image = '', configImage = '', command = ''] = line.split('\t');
    return { id, created: new Date(created), status, image, configImage, command };
  });
}

async function imageCreated(daemon: Daemon, id: string): Promise<Date | undefined> {
  const out = await docker(daemon, ['image', 'inspect', '--format', '{{.Created}}', id]).catch(() => '');
  return out.trim() ? new Date(out.trim()) : undefined;
}

/** `127.0.0.1:5101/e2e-x-r1234-abcd/app` → `e2e-x-r1234-abcd`: the first path part after a host. */
export function namespaceOfReference(repository: string): string {
  const parts = repository.split('/');
  const hasHost = parts.length > 1 && /[.:]|^localhost$/.test(parts[0]!);
  return (hasHost ? parts[1] : parts[0]) ?? '';
}

// ---------------------------------------------------------------- snapshot, sweep, leftovers

export async function takeSnapshot(runId: string, tmpRoot: string): Promise<Snapshot> {
  const images: Record<string, string[]> = {};
  const containers: Record<string, string[]> = {};
  for (const daemon of testDaemons()) {
    if (!(await reachable(daemon))) continue;
    images[daemon.name] = await listImages(daemon);
    containers[daemon.name] = await listContainers(daemon);
  }
  const repositories: Record<string, string[]> = {};
  for (const registry of testBedRegistries()) {
    repositories[registry.address] = await catalog(registry.address, registry.auth).catch(() => []);
  }
  return {
    runId,
    otherRuns: otherTestRuns(),
    startedAt: new Date().toISOString(),
    tmpRoot,
    tmpEntries: readdirSync(tmpRoot).filter(isSuiteName),
    images,
    containers,
    repositories,
  };
}

/** Older than this, a stopped container or dangling image is no step of a build in progress. */
const SETTLED_MS = 60_000;

/**
 * Removes the namespaces `matches` selects from the test bed's registries
 * (every tag's manifest, then the namespace's folder, so the catalog forgets
 * it too) and every image tagged under them from every daemon. Returns one
 * line per failure.
 */
export async function removeNamespaces(matches: (namespace: string) => boolean): Promise<string[]> {
  const failures: string[] = [];
  for (const registry of testBedRegistries()) {
    const repositories = await catalog(registry.address, registry.auth).catch(() => [] as string[]);
    const namespaces = new Set<string>();
    for (const repository of repositories.filter((name) => matches(name.split('/')[0] ?? ''))) {
      namespaces.add(repository.split('/')[0]!);
      try {
        for (const tag of await listTags(registry.address, repository, registry.auth).catch(() => [] as string[])) {
          const digest = await manifestDigest(registry.address, repository, tag, registry.auth).catch(() => undefined);
          if (digest) await deleteManifest(registry.address, repository, digest, registry.auth);
        }
      } catch (error) {
        failures.push(`${registry.address}/${repository}: ${(error as Error).message}`);
      }
    }
    if (registry.storage) {
      for (const namespace of namespaces) rmSync(join(registry.storage, 'docker/registry/v2/repositories', namespace), { recursive: true, force: true });
    }
  }
  for (const daemon of testDaemons()) {
    if (!(await reachable(daemon))) continue;
    const targets = new Set<string>();
    for (const line of await listImages(daemon)) {
      const [id = '', reference = ''] = line.split(' ');
      const repository = reference.slice(0, reference.lastIndexOf(':'));
      if (repository === '<none>' || !matches(namespaceOfReference(repository))) continue;
      // A repository whose tag moved on (`repo:<none>`, kept by its digest) can only be named by its id.
      targets.add(reference.endsWith(':<none>') ? id : reference);
    }
    if (targets.size > 0) await docker(daemon, ['image', 'rm', '--force', ...targets]).catch((error: Error) => failures.push(error.message));
  }
  return failures;
}

/**
 * Removes what this run made and may leave by design: its namespaces (see
 * removeNamespaces), the stopped containers of its failed or interrupted
 * classic builds, and the dangling images its builds replaced. Returns one
 * line per removal failure.
 */
export async function sweepRun(snapshot: Snapshot, now: Date = new Date()): Promise<string[]> {
  const started = new Date(snapshot.startedAt).getTime();
  const failures = await removeNamespaces((namespace) => runIdOfNamespace(namespace) === snapshot.runId);
  for (const daemon of testDaemons()) {
    if (!(await reachable(daemon))) continue;
    const before = new Set(snapshot.containers[daemon.name] ?? []);
    const fresh = (await listContainers(daemon)).filter((id) => !before.has(id));
    for (const container of await inspectContainers(daemon, fresh)) {
      const stopped = ['exited', 'dead'].includes(container.status) || (container.status === 'created' && now.getTime() - container.created.getTime() > SETTLED_MS);
      if (stopped && container.created.getTime() >= started) {
        await docker(daemon, ['rm', '--force', container.id]).catch((error: Error) => failures.push(error.message));
      }
    }
    const imagesBefore = new Set(snapshot.images[daemon.name] ?? []);
    for (const line of await listImages(daemon)) {
      const [id = '', reference = ''] = line.split(' ');
      if (reference !== '<none>:<none>' || imagesBefore.has(line)) continue;
      const created = await imageCreated(daemon, id);
      // Without --force: an image a container still uses (another run's build) stays.
      if (created && created.getTime() >= started && now.getTime() - created.getTime() > SETTLED_MS) await docker(daemon, ['image', 'rm', id]).catch(() => undefined);
    }
  }
  return failures;
}

/**
 * Everything new since the snapshot that carries the suite's names and is not
 * another run's: images and settled stopped containers and dangling images on
 * every daemon, repositories still holding tags, `imageship-*` entries in the
 * real temp dir, and whatever is left in the run's own TMPDIR. One line each.
 */
export async function findLeftovers(snapshot: Snapshot, runTmp: string | undefined, now: Date = new Date()): Promise<Leftovers> {
  const ours: string[] = [];
  const unattributed: string[] = [];
  const started = new Date(snapshot.startedAt).getTime();
  const settled = (created: Date): boolean => created.getTime() >= started && now.getTime() - created.getTime() > SETTLED_MS;
  const runIdIn = (namespace: string): string | undefined => runIdOfNamespace(namespace);

  for (const daemon of testDaemons()) {
    if (!(await reachable(daemon))) continue;
    const imagesBefore = new Set(snapshot.images[daemon.name] ?? []);
    for (const line of await listImages(daemon)) {
      if (imagesBefore.has(line)) continue;
      const [id = '', reference = ''] = line.split(' ');
      if (reference === '<none>:<none>') {
        const created = await imageCreated(daemon, id);
        if (created && settled(created)) unattributed.push(`${daemon.name}: dangling image ${id.slice(0, 19)} (created ${created.toISOString()})`);
        continue;
      }
      const namespace = namespaceOfReference(reference.slice(0, reference.lastIndexOf(':')));
      if (!isSuiteName(namespace)) continue;
      const runId = runIdIn(namespace);
      if (runId === snapshot.runId) ours.push(`${daemon.name}: image ${reference}`);
      else if (runId === undefined) unattributed.push(`${daemon.name}: image ${reference}`);
    }
    const containersBefore = new Set(snapshot.containers[daemon.name] ?? []);
    const fresh = (await listContainers(daemon)).filter((id) => !containersBefore.has(id));
    for (const container of await inspectContainers(daemon, fresh)) {
      if (container.status === 'running' || !settled(container.created)) continue;
      unattributed.push(`${daemon.name}: ${container.status} container ${container.id.slice(0, 12)} of ${container.configImage} (${container.command})`);
    }
  }

  for (const registry of testBedRegistries()) {
    const before = new Set(snapshot.repositories[registry.address] ?? []);
    for (const repository of await catalog(registry.address, registry.auth).catch(() => [] as string[])) {
      const namespace = repository.split('/')[0] ?? '';
      const runId = runIdIn(namespace);
      if (before.has(repository) || !isSuiteName(namespace) || (runId !== undefined && runId !== snapshot.runId)) continue;
      const tags = await listTags(registry.address, repository, registry.auth).catch(() => [] as string[]);
      if (tags.length === 0) continue;
      const line = `${registry.address}: repository ${repository} (${tags.length} tag(s): ${tags.slice(0, 3).join(', ')}${tags.length > 3 ? ', …' : ''})`;
      (runId === snapshot.runId ? ours : unattributed).push(line);
    }
  }

  const tmpBefore = new Set(snapshot.tmpEntries);
  for (const entry of readdirSync(snapshot.tmpRoot).filter(isSuiteName)) {
    // Runs' own TMPDIRs (this one's is checked below) and the test bed's state are not leftovers.
    if (tmpBefore.has(entry) || entry.startsWith('imageship-run-') || entry.startsWith('imageship-tests-') || entry.startsWith('imageship-testbed')) continue;
    unattributed.push(`temp dir ${join(snapshot.tmpRoot, entry)}`);
  }
  if (runTmp && existsSync(runTmp)) {
    const byPrefix = new Map<string, number>();
    for (const entry of readdirSync(runTmp)) {
      // npm (run by the package test) keeps Node's module compile cache in TMPDIR: a cache of npm's, not the suite's.
      if (entry === 'node-compile-cache') continue;
      const prefix = entry.replace(/[A-Za-z0-9]{6}$/, '*');
      byPrefix.set(prefix, (byPrefix.get(prefix) ?? 0) + 1);
    }
    for (const [prefix, count] of [...byPrefix].sort()) ours.push(`temp dir ${join(runTmp, prefix)}${count > 1 ? ` (${count} of them)` : ''}`);
  }
  const otherRuns = [...new Set([...snapshot.otherRuns, ...otherTestRuns()])];
  return { ours, unattributed, otherRuns };
}

export interface Leftovers {
  /** Certainly this run's: its namespaces, its own TMPDIR. */
  ours: string[];
  /** New, with the suite's names, but possibly another run's. */
  unattributed: string[];
  /** Pids of other test runs seen at the start or the end of this one. */
  otherRuns: number[];
}
