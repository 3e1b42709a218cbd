/**
 * SWR naming rules, checked before anything is sent so a bad name fails with
 * a fix instead of a late `denied` or `invalid reference format` from docker.
 * Each function returns undefined when the value is valid, else a sentence
 * saying what is wrong and how to fix it.
 */

const SEPARATOR = /[._-]/;

/** A run of separators is allowed only as `_` or `__` (SWR and the OCI grammar agree on that much). */
function badSeparatorRun(value: string): string | undefined {
  const runs = value.match(/[._-]{2,}/g) ?? [];
  return runs.find((run) => run !== '__');
}

export function checkRegion(region: string): string | undefined {
  if (/^[a-z]{2}(-[a-z]+)+-\d{1,3}$/.test(region)) return undefined;
  if (/^[a-z]{2}(-[a-z]+)+-\d{1,3}$/.test(region.toLowerCase())) return `"${region}" must be lowercase: use "${region.toLowerCase()}"`;
  return `"${region}" is not a Huawei Cloud region id: use an id such as cn-north-4 or ap-southeast-1 (the console's region list shows them)`;
}

export function checkOrganization(name: string): string | undefined {
  if (name.length < 1 || name.length > 64) return `"${name}" must be 1 to 64 characters long`;
  if (name !== name.toLowerCase()) return `"${name}" must be lowercase: use "${name.toLowerCase()}"`;
  if (!/^[a-z]/.test(name)) return `"${name}" must start with a lowercase letter`;
  const bad = name.match(/[^a-z0-9._-]/);
  if (bad) return `"${name}" contains "${bad[0]}": use only a-z, 0-9, ".", "_" and "-"`;
  const run = badSeparatorRun(name);
  if (run) return `"${name}" has adjacent separators "${run}": separate words with a single ".", "_" or "-"`;
  if (SEPARATOR.test(name.at(-1) ?? '')) return `"${name}" must end with a letter or digit`;
  return undefined;
}

export function checkRepository(name: string): string | undefined {
  if (name.length < 1 || name.length > 128) return `"${name}" must be 1 to 128 characters long`;
  if (name !== name.toLowerCase()) return `"${name}" must be lowercase: use "${name.toLowerCase()}"`;
  const bad = name.match(/[^a-z0-9./_-]/);
  if (bad) return `"${name}" contains "${bad[0]}": use only a-z, 0-9, ".", "/", "_" and "-"`;
  for (const part of name.split('/')) {
    if (part === '') return `"${name}" has an empty path component: remove the extra "/"`;
    if (SEPARATOR.test(part[0] ?? '') || SEPARATOR.test(part.at(-1) ?? '')) {
      return `"${name}": each "/"-separated part must start and end with a letter or digit`;
    }
    const run = badSeparatorRun(part);
    if (run) return `"${name}" has adjacent separators "${run}": use a single ".", "_" or "-"`;
  }
  return undefined;
}

export function checkTag(tag: string): string | undefined {
  if (/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) return undefined;
  return `"${tag}" is not a valid tag: up to 128 of A-Z a-z 0-9 _ . -, not starting with . or -`;
}

export function checkRegistryHost(host: string): string | undefined {
  if (/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*)(:\d{1,5})?$/.test(host)) {
    return undefined;
  }
  if (/^[a-z]+:\/\//i.test(host)) return `"${host}" must be host[:port] without a scheme: use "${host.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '')}"`;
  return `"${host}" is not a registry host[:port], e.g. swr.cn-north-4.myhuaweicloud.com or 127.0.0.1:5000`;
}
