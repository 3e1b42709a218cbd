import type { BuildSettings } from '../../src/config/types.js';

/** Build settings with every option at its default, for `{ ...plainBuildSettings, platforms: [...] }` in unit tests. */
export const plainBuildSettings: BuildSettings = {
  context: '/ws/app',
  dockerfile: '/ws/app/Dockerfile',
  dockerfileGiven: false,
  buildArgs: [],
  labels: [],
  target: '',
  platforms: [],
  noCache: false,
  pull: false,
  cacheFrom: [],
  cacheTo: [],
  builder: '',
  secrets: [],
  provenance: '',
  sbom: '',
};
