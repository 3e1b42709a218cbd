/**
 * Other runs of this suite on the same machine (the test bed is shared): the
 * end-of-run check cannot tell their temp dirs and images from this run's, so
 * it needs to know whether any were going on.
 */
import { readdirSync, readFileSync } from 'node:fs';

function parentOf(pid: number): number {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
}

/** This process and its ancestors (run-tests.mjs, node --test, this file's process). */
function ownProcessChain(): Set<number> {
  const chain = new Set<number>();
  for (let pid = process.pid; pid > 1 && !chain.has(pid); pid = parentOf(pid)) chain.add(pid);
  return chain;
}

/**
 * Pids of test runs of this suite other than this one: `node …run-tests.mjs`
 * or `node --test …` processes outside this process's chain of parents.
 */
export function otherTestRuns(): number[] {
  const own = ownProcessChain();
  const others: number[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return others;
  }
  for (const entry of entries) {
    const pid = Number(entry);
    if (own.has(pid)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const isNode = /(^|\/)node$/.test(args[0] ?? '');
    if (isNode && args.some((arg) => arg.endsWith('run-tests.mjs') || arg === '--test')) {
      // A node --test started by another run-tests.mjs is the same run: count the run once.
      const parent = parentOf(pid);
      if (!own.has(parent) && !others.includes(parent)) others.push(pid);
    }
  }
  return others;
}
