/**
 * The YAML parser for `registry-auth`, loaded only when that input is set:
 * loading it costs about 10 ms, which every other run (a dry run, a re-copy
 * that moves nothing) should not pay. parseConfig stays synchronous, so the
 * hosts load it first and hand it in (ParseEnvironment.yaml).
 */
import type { YamlParser } from './parse-registry-auth.js';

export async function loadRegistryAuthParser(): Promise<YamlParser> {
  return (await import('yaml')) as unknown as YamlParser;
}

/** The parser when `registryAuthText` is set, else undefined (nothing is loaded). */
export async function registryAuthParserFor(registryAuthText: string): Promise<YamlParser | undefined> {
  return registryAuthText.trim() === '' ? undefined : loadRegistryAuthParser();
}
