/** What a package run checks at plan time, before anything is logged in, fetched or pushed. */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { PackageSettings } from '../domain/package-settings.js';

export function packagePlanProblems(settings: PackageSettings, cwd: string): string[] {
  if (settings.source.kind !== 'local') return [];
  const path = settings.source.path;
  const full = isAbsolute(path) ? path : resolve(cwd, path);
  if (!existsSync(full)) return [`package: ${path} does not exist (relative to the workspace ${cwd}): check the path, or build the package in an earlier step`];
  const info = statSync(full);
  if (!info.isFile()) return [`package: ${path} is not a file: give the package file (a .jar, .war, .tgz or .zip)`];
  if (info.size > settings.maxBytes) return [`package: ${path} is ${info.size} bytes, more than package-max-size (${settings.maxBytes} bytes): raise package-max-size if the package really is that large`];
  return [];
}
