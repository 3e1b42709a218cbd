/**
 * The package's files as layer entries at their place in the image: one file
 * (jar, war) or an archive unpacked under the target directory (node,
 * python, php, files). Every path is normalised and refused when it would
 * land outside the target, directly (`../`), absolutely, or through a
 * symbolic link the archive itself planted.
 */
import type { PackageType } from '../domain/package-settings.js';
import { ArchiveError, readArchive, type ArchiveEntry } from './archive-read.js';
import type { Placement } from '../domain/package-defaults.js';
import { EntryPathError, normaliseEntryPath, type LayerEntry } from './layer-tar.js';
import { ImageshipError } from '../domain/errors.js';

export interface PackageContent {
  entries: LayerEntry[];
  /** package.json at the package's root (node), when there is one. */
  packageJson: { main?: unknown; scripts?: { start?: unknown }; name?: unknown; version?: unknown } | undefined;
}

/** A package that cannot be placed safely: the message says which entry and why. */
export class PackageContentError extends ImageshipError {
  override readonly name = 'PackageContentError';
}

const MAX_ENTRIES = 200_000;

export function packageContent(bytes: Buffer, type: PackageType, placement: Placement, maxBytes: number): PackageContent {
  const root = normaliseEntryPath(placement.path.replace(/^\/+/, ''));
  if (placement.kind === 'file') {
    return { entries: [...ownDirectory(placement, root), { path: root, kind: 'file', mode: 0o644, data: bytes }], packageJson: undefined };
  }
  let archive: ArchiveEntry[];
  try {
    archive = readArchive(bytes, { maxUnpackedBytes: maxBytes * 4, maxEntries: MAX_ENTRIES });
  } catch (error) {
    if (error instanceof ArchiveError) throw new PackageContentError(`package: ${error.message}`);
    throw error;
  }
  // npm pack puts everything under package/: that directory is the package's root.
  const strip = type === 'node' && archive.length > 0 && archive.every((entry) => /^\.?\/?package(\/|$)/.test(entry.name)) ? /^\.?\/?package\/?/ : undefined;

  const entries: LayerEntry[] = [...ownDirectory(placement, root)];
  const links = new Set<string>();
  let packageJson: PackageContent['packageJson'];
  for (const entry of archive) {
    const relative = checkedPath(strip ? entry.name.replace(strip, '') : entry.name);
    if (relative === '') continue;
    const path = `${root}/${relative}`;
    for (const link of links) {
      if (path.startsWith(`${link}/`)) throw new PackageContentError(`package: "${entry.name}" lies beneath the symbolic link "${link.slice(root.length + 1)}" of the same archive, which could write outside ${placement.path}: refused`);
    }
    if (entry.kind === 'symlink') {
      checkLinkTarget(entry, path, root, placement.path);
      links.add(path);
      entries.push({ path, kind: 'symlink', mode: 0o777, linkTarget: entry.linkTarget });
    } else if (entry.kind === 'dir') {
      entries.push({ path, kind: 'dir', mode: entry.mode || 0o755 });
    } else {
      entries.push({ path, kind: 'file', mode: entry.mode || 0o644, data: entry.data });
      if (relative === 'package.json') packageJson = parsePackageJson(entry.data);
    }
  }
  if (type === 'node' && packageJson === undefined) {
    throw new PackageContentError('package: package-type node, but the package has no package.json at its root (npm pack puts it at package/package.json): check the archive, or set package-type files');
  }
  return { entries, packageJson };
}

function checkedPath(name: string): string {
  try {
    return normaliseEntryPath(name);
  } catch (error) {
    if (error instanceof EntryPathError) throw new PackageContentError(`package: entry ${error.message}: an archive entry must stay inside its target directory; refused (repack with relative paths)`);
    throw error;
  }
}

/** A link must resolve inside the target: relative to its own directory, or absolute under the target. */
function checkLinkTarget(entry: ArchiveEntry, path: string, root: string, shown: string): void {
  const target = entry.linkTarget;
  const base = target.startsWith('/') ? '' : path.split('/').slice(0, -1).join('/');
  let resolved: string;
  try {
    resolved = normaliseEntryPath(`${base}/${target}`.replace(/^\/+/, ''));
  } catch {
    resolved = '';
  }
  if (resolved !== root && !resolved.startsWith(`${root}/`)) {
    throw new PackageContentError(`package: "${entry.name}" is a symbolic link to "${target}", outside ${shown}: refused (a package's links must stay inside it)`);
  }
}

/** The target directory itself where imageship introduces it, so its owner is the image's user. */
function ownDirectory(placement: Placement, root: string): LayerEntry[] {
  if (!placement.ownsDirectory) return [];
  const directory = placement.kind === 'file' ? root.split('/').slice(0, -1).join('/') : root;
  return directory === '' ? [] : [{ path: directory, kind: 'dir', mode: 0o755 }];
}

function parsePackageJson(data: Buffer): PackageContent['packageJson'] {
  try {
    const parsed: unknown = JSON.parse(data.toString('utf8'));
    return parsed !== null && typeof parsed === 'object' ? (parsed as PackageContent['packageJson']) : {};
  } catch {
    throw new PackageContentError('package: package.json is not valid JSON: fix it before packing');
  }
}
