/**
 * "Did you mean …?" for names a user typed: flags, inputs, env variables,
 * enum values. Shared by the CLI (unknown flags) and the action (undeclared
 * inputs), so both suggest the same names for the same typo.
 */

/**
 * The known name nearest to `name` by edit distance, when it is near enough
 * to be a typo; with `partial`, also a prefix/containment match (`--secret`
 * → secret-key, `--dockerfile-path` → dockerfile).
 */
export function closestName(name: string, known: readonly string[], options: { partial?: boolean } = {}): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = candidate === lower ? 0 : editDistance(lower, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 3))) return best;
  if (!options.partial) return undefined;
  return known.find((candidate) => lower.length >= 3 && (candidate.startsWith(lower) || lower.startsWith(candidate)));
}

function editDistance(a: string, b: string): number {
  // Optimal string alignment: insertions, deletions, substitutions and adjacent swaps (`imgae`) cost 1.
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) distance = Math.min(distance, before[j - 2]! + 1);
      current.push(distance);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}
