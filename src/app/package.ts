/**
 * The one place a package run reads Config and Plan: it hands runPackage the
 * narrow options it needs (the pipeline stays a switch over modes). The
 * package code (archive readers, the layer writer, OBS signing) is loaded
 * only by a package run: a dynamic import, a chunk of its own in dist/.
 */
import type { Config } from '../config/types.js';
import type { Plan } from './plan.js';
import type { Ports } from '../ports.js';
import type { RegistryClients } from '../registry/clients.js';
import type { AssembleResult } from '../package/assemble.js';


export async function runPackageFor(config: Config, plan: Plan, context: { ports: Ports; clients: RegistryClients; cwd: string }): Promise<AssembleResult> {
  const settings = config.package;
  if (!settings) throw new Error('internal: a package plan has package settings');
  const { runPackage } = await import('../package/run-package.js');
  return runPackage({
    settings,
    destination: { registry: config.registry, repository: config.repository },
    platforms: config.build.platforms,
    tags: plan.tags,
    labels: plan.labels,
    sourceDateEpoch: config.metadata.sourceDateEpoch,
    clients: context.clients,
    ports: context.ports,
    cwd: context.cwd,
    concurrency: config.copy.concurrency,
  });
}
