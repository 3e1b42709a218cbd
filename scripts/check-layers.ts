/**
 * Prints the folder cycles and layer violations of src/ (npm run build && node build/scripts/check-layers.js);
 * exits 1 when there is any. __tests__/unit/layers.test.ts runs the same checks.
 */
import { fileURLToPath } from 'node:url';
import { folderCycles, layerViolations, readImportGraph } from './layers/import-graph.js';

const src = fileURLToPath(new URL('../../src', import.meta.url));
const graph = readImportGraph(src);
const cycles = folderCycles(graph);
const violations = layerViolations(graph);
console.log(`${graph.size} files; ${cycles.length} folder cycle(s), ${violations.length} layer violation(s)`);
for (const cycle of cycles) console.log(`cycle: ${cycle}`);
for (const violation of violations) console.log(`layer: ${violation}`);
process.exitCode = cycles.length + violations.length > 0 ? 1 : 0;
