/**
 * Per package type: the default base image, where the package goes, and how
 * the container starts — the table in the README's "Images from a package"
 * section, in one place.
 */
import type { PackageType } from './package-settings.js';

export const PACKAGE_TYPES: readonly PackageType[] = ['jar', 'war', 'node', 'python', 'php', 'files'];

export const DEFAULT_BASE_IMAGES: Readonly<Record<Exclude<PackageType, 'files'>, string>> & { files: string } = {
  jar: 'eclipse-temurin:21-jre',
  war: 'tomcat:10.1-jre21',
  node: 'node:22-slim',
  python: 'python:3.12-slim',
  php: 'php:8.3-apache',
  files: '',
};

/** Where the package lands in the image. */
export interface Placement {
  /** 'file': the package is one file at `path`; 'unpack': its entries go under `path`. */
  kind: 'file' | 'unpack';
  /** Absolute path in the image. */
  path: string;
  /**
   * Whether the layer carries the directory itself (owner `user`, 0755): true
   * where imageship introduces it (/app), false where the base owns it
   * (tomcat's webapps, php's /var/www/html keep their owner and mode).
   */
  ownsDirectory: boolean;
  /** WorkingDir unless `workdir` is given; '' keeps the base's. */
  workdir: string;
}

export function placementFor(type: PackageType, workdir: string): Placement {
  switch (type) {
    case 'jar':
      return { kind: 'file', path: '/app/app.jar', ownsDirectory: true, workdir: '/app' };
    case 'war':
      return { kind: 'file', path: '/usr/local/tomcat/webapps/ROOT.war', ownsDirectory: false, workdir: '' };
    case 'node':
    case 'python':
      return { kind: 'unpack', path: '/app', ownsDirectory: true, workdir: '/app' };
    case 'php':
      return { kind: 'unpack', path: '/var/www/html', ownsDirectory: false, workdir: '' };
    case 'files':
      return { kind: 'unpack', path: workdir || '/app', ownsDirectory: true, workdir: workdir || '/app' };
  }
}

/** The start command a type sets when the user gives none: entrypoint and cmd (undefined = the base's). */
export function defaultStart(type: PackageType, packageJson: { main?: unknown; scripts?: { start?: unknown } } | undefined): { entrypoint?: string[]; cmd?: string[] } {
  switch (type) {
    case 'jar':
      return { entrypoint: ['java', '-jar', '/app/app.jar'] };
    case 'node':
      if (packageJson && typeof packageJson.scripts?.start !== 'string' && typeof packageJson.main === 'string') return { cmd: ['node', packageJson.main] };
      return { cmd: ['npm', 'start'] };
    default:
      return {};
  }
}
