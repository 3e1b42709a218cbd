/**
 * node:http through require, not an ES import: on Node 24 an ES import of
 * node:http builds the module's namespace, which reads every export,
 * including the lazy ones (WebSocket, MessageEvent) that load undici (≈ 40 ms
 * of start-up, the cost this layer exists to avoid). require() reads only
 * what is used. node:https, node:net and node:tls have no such exports.
 */
import { createRequire } from 'node:module';

export const http = createRequire(import.meta.url)('node:http') as typeof import('node:http');
