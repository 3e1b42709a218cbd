/**
 * node:http through require, not an ES import. On Node 24 an ES import of
 * node:http builds the module's namespace, which reads every export,
 * including lazy ones that load undici (≈ 40 ms): the cost nodeFetch exists
 * to avoid. require() reads only what is used. (The ncc bundle turns imports
 * of built-ins into require() anyway; this matters for lib/ and build/.)
 */
import { createRequire } from 'node:module';

export const http = createRequire(import.meta.url)('node:http') as typeof import('node:http');
