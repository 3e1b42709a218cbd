/**
 * The import graph of src/ and the rules its folders must keep (DESIGN.md "Layers"):
 * dependencies point one way, hosts (action/, cli/, the library entry index.ts) → app/ → config/ → domain/, and
 * app/ → the lower layers (registry/, docker/, cloud/, deploy/, source/, …) → http/ → domain/.
 *
 * A regular expression over the sources is enough here: every relative specifier in an import, an export … from
 * or an import() call is a dependency (type-only imports included, they tie layers together just the same).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';

/** Files (paths relative to src/, with "/" separators) and the src files each one imports. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

export function readImportGraph(srcDir: string): ImportGraph {
  const graph = new Map<string, string[]>();
  for (const file of listTs(srcDir)) {
    const from = relative(srcDir, file).split(sep).join('/');
    const text = readFileSync(file, 'utf8');
    const targets = new Set<string>();
    for (const match of text.matchAll(SPECIFIER)) {
      const target = posix.normalize(posix.join(posix.dirname(from), match[1]!)).replace(/\.js$/, '.ts');
      if (!target.startsWith('../')) targets.add(target);
    }
    graph.set(from, [...targets].sort());
  }
  return graph;
}

function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listTs(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** The folder a file belongs to: its first path segment; a file directly under src/ is a node of its own. */
export function folderOf(file: string): string {
  const slash = file.indexOf('/');
  return slash < 0 ? file : file.slice(0, slash);
}

/** Edges between folders, each with one file-level import that makes it (for the message). */
export function folderEdges(graph: ImportGraph): Map<string, Map<string, string>> {
  const edges = new Map<string, Map<string, string>>();
  for (const [from, targets] of graph) {
    for (const to of targets) {
      const a = folderOf(from);
      const b = folderOf(to);
      if (a === b) continue;
      const out = edges.get(a) ?? new Map<string, string>();
      if (!out.has(b)) out.set(b, `${from} → ${to}`);
      edges.set(a, out);
    }
  }
  return edges;
}

/**
 * Every pair of folders that import each other, directly or through other folders: for each strongly connected
 * set of folders, each pair inside it. A pair is written "a ⇄ b" with the two names sorted.
 */
export function folderCycles(graph: ImportGraph): string[] {
  const edges = folderEdges(graph);
  const reach = (start: string): Set<string> => {
    const seen = new Set<string>();
    const stack = [start];
    while (stack.length > 0) {
      for (const next of edges.get(stack.pop()!)?.keys() ?? []) {
        if (!seen.has(next)) {
          seen.add(next);
          stack.push(next);
        }
      }
    }
    return seen;
  };
  const folders = [...new Set([...graph.keys()].map(folderOf))].sort();
  const reaches = new Map(folders.map((folder) => [folder, reach(folder)]));
  const cycles: string[] = [];
  for (const [i, a] of folders.entries()) {
    for (const b of folders.slice(i + 1)) {
      if (reaches.get(a)!.has(b) && reaches.get(b)!.has(a)) cycles.push(`${a} ⇄ ${b}`);
    }
  }
  return cycles;
}

/** Hosts: the faces of the project (the action, the CLI, the library entry). Nothing below them imports them. */
export const HOSTS = new Set(['action', 'cli', 'index.ts']);

/**
 * Folders allowed to read the run's Config: the hosts (they build it) and app/ (it turns it into a plan and
 * narrow options). config/ itself of course.
 */
export const READS_CONFIG = new Set([...HOSTS, 'app', 'config']);

/** What config/ and domain/ may import: config/ only domain/; domain/ nothing else (it is pure). */
const ONLY = new Map<string, ReadonlySet<string>>([
  ['config', new Set(['domain'])],
  ['domain', new Set()],
]);

/** Imports that break the layering, one line each: "from → to: why". */
export function layerViolations(graph: ImportGraph): string[] {
  const problems: string[] = [];
  for (const [from, targets] of graph) {
    const a = folderOf(from);
    for (const to of targets) {
      const b = folderOf(to);
      if (a === b) continue;
      if (HOSTS.has(b) && !HOSTS.has(a)) problems.push(`${from} → ${to}: only a host may import a host module`);
      else if (b === 'config' && !READS_CONFIG.has(a)) problems.push(`${from} → ${to}: a lower layer imports config/ (take narrow options from app/)`);
      else if (b === 'app' && !HOSTS.has(a)) problems.push(`${from} → ${to}: only a host may import app/`);
      else if (ONLY.has(a) && !ONLY.get(a)!.has(b)) problems.push(`${from} → ${to}: ${a}/ may import only ${[...ONLY.get(a)!].map((f) => `${f}/`).join(', ') || 'itself'}`);
    }
  }
  return problems;
}
