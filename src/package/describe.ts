/** The plan's lines for a package run (printed in a dry run and at the start of a real one). */
import type { PackageSettings } from '../domain/package-settings.js';
import { placementFor } from '../domain/package-defaults.js';
import { describeSource } from './source-name.js';

export function describePackage(settings: PackageSettings, platforms: readonly string[]): string[] {
  const placement = placementFor(settings.type, settings.workdir);
  const lines = [
    `package:   ${describeSource(settings.source)} (${settings.type}${settings.version !== '' ? `, version ${settings.version}` : ''}) → ${placement.path}${placement.kind === 'unpack' ? ' (unpacked)' : ''}; no Dockerfile, no docker`,
    `base:      ${settings.baseImageText}${platforms.length > 0 ? ` (platforms ${platforms.join(', ')})` : ' (every platform it has)'}; its layers are mounted or skipped, never downloaded when on the destination registry`,
  ];
  if (settings.entrypoint) lines.push(`entrypoint: ${JSON.stringify(settings.entrypoint)}`);
  if (settings.cmd) lines.push(`cmd:       ${JSON.stringify(settings.cmd)}`);
  if (settings.sha256 !== '') lines.push(`checksum:  sha256 ${settings.sha256}`);
  return lines;
}
