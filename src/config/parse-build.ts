/**
 * The build inputs: context, Dockerfile, arguments, platforms, caches, the
 * builder, build secrets and attestations. Pure: reads option values and the
 * environment map, touches no file (whether files exist is the plan's check).
 */
import { isAbsolute, join, resolve } from 'node:path';
import { parseBooleanValue, parsePairs, splitLines, splitList } from './read-values.js';
import type { BuildSecret, BuildSettings } from './types.js';

const BUILD_ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LABEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/;
/** BuildKit's secret ids: what `RUN --mount=type=secret,id=…` can name. */
const SECRET_ID = /^[A-Za-z0-9_.-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A buildx builder name (`docker buildx create --name`): letters, digits, `_ . -`. */
const BUILDER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export interface BuildEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export function parseBuildSettings(get: (name: string) => string, environment: BuildEnvironment, problems: string[]): BuildSettings {
  const { cwd } = environment;
  const context = resolve(cwd, get('context'));
  const dockerfileInput = get('dockerfile');
  const dockerfile = dockerfileInput === '' ? join(context, 'Dockerfile') : isAbsolute(dockerfileInput) ? dockerfileInput : resolve(cwd, dockerfileInput);

  const platforms = splitList(get('platforms'));
  for (const platform of platforms) {
    if (!PLATFORM.test(platform)) problems.push(`platforms: "${platform}" is not os/arch[/variant], e.g. linux/amd64 or linux/arm64/v8`);
  }
  const target = get('target');
  if (target !== '' && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(target)) {
    problems.push(`target: "${target}" is not a build stage name (letters, digits, _ . -)`);
  }
  const parseFlag = (name: string, fallback: boolean): boolean => parseBooleanValue(name, get(name), problems) ?? fallback;
  const builder = get('builder');
  if (builder !== '' && !BUILDER_NAME.test(builder)) {
    problems.push(`builder: "${builder}" is not a buildx builder name (letters, digits, _ . -): use the name \`docker buildx ls\` shows, or classic`);
  }

  return Object.freeze({
    context,
    dockerfile,
    dockerfileGiven: dockerfileInput !== '',
    buildArgs: parsePairs('build-args', get('build-args'), BUILD_ARG_NAME, 'NAME', problems),
    labels: parsePairs('labels', get('labels'), LABEL_NAME, 'name', problems),
    target,
    platforms,
    noCache: parseFlag('no-cache', false),
    pull: parseFlag('pull', false),
    cacheFrom: splitLines(get('cache-from')),
    cacheTo: splitLines(get('cache-to')),
    builder,
    secrets: parseBuildSecrets(get, environment, problems),
    provenance: parseAttestation('provenance', get('provenance'), /^mode=(min|max)$|^[a-z-]+=[^,]+(,[a-z-]+=[^,]+)*$/, 'true, false, mode=min or mode=max', problems),
    sbom: parseAttestation('sbom', get('sbom'), /^[a-z-]+=[^,]+(,[a-z-]+=[^,]+)*$/, 'true, false or generator=IMAGE', problems),
  });
}

/** `true`/`false` or buildx's `key=value` form; '' (and `false`) mean off. */
function parseAttestation(name: string, raw: string, form: RegExp, allowed: string, problems: string[]): string {
  const value = raw.trim();
  if (value === '' || /^false$/i.test(value)) return '';
  if (/^true$/i.test(value)) return 'true';
  if (!form.test(value)) {
    problems.push(`${name}: "${value}" is not a buildx --${name} value: use ${allowed}`);
    return '';
  }
  return value;
}

/**
 * `secrets` (id=value), `secret-files` (id=path) and `secret-envs`
 * (id=VARIABLE), as docker/build-push-action names them. One secret per line:
 * a value that spans lines belongs in `secret-files`.
 */
function parseBuildSecrets(get: (name: string) => string, { env, cwd }: BuildEnvironment, problems: string[]): BuildSecret[] {
  const secrets: BuildSecret[] = [];
  const seen = new Set<string>();
  const each = (input: string, what: string, add: (id: string, rest: string) => BuildSecret | undefined): void => {
    for (const line of splitLines(get(input))) {
      const eq = line.indexOf('=');
      const id = eq < 0 ? '' : line.slice(0, eq).trim();
      const rest = eq < 0 ? '' : line.slice(eq + 1).trim();
      // Never echo the line of `secrets`: its value is the secret.
      const shown = input === 'secrets' ? (id === '' ? 'a line' : `"${id}=…"`) : `"${line}"`;
      if (!SECRET_ID.test(id) || rest === '') {
        problems.push(`${input}: ${shown} is not id=${what}: write one id=${what} per line (the id is what RUN --mount=type=secret,id=… names)`);
        continue;
      }
      if (seen.has(id)) {
        problems.push(`${input}: secret id "${id}" is given twice (across secrets, secret-files and secret-envs): give each secret its own id`);
        continue;
      }
      seen.add(id);
      const secret = add(id, rest);
      if (secret) secrets.push(Object.freeze(secret));
    }
  };
  each('secrets', 'value', (id, value) => ({ id, kind: 'value', value }));
  each('secret-files', 'path', (id, path) => ({ id, kind: 'file', path: isAbsolute(path) ? path : resolve(cwd, path) }));
  each('secret-envs', 'VARIABLE', (id, variable) => {
    if (!ENV_NAME.test(variable)) {
      problems.push(`secret-envs: "${id}=${variable}" does not name an environment variable: write id=VARIABLE`);
      return undefined;
    }
    if ((env[variable] ?? '') === '') {
      problems.push(`secret-envs: ${variable} (for secret ${id}) is not set in the step's environment: set it under env:, or use secrets: ${id}=…`);
      return undefined;
    }
    return { id, kind: 'env', variable };
  });
  return secrets;
}
