/**
 * `nodeFetch`, kept for the library's public API: it is now the default
 * transport's fetch (src/http/default-transport.ts): node:http(s) without
 * undici, with proxies from the environment and docker's certs.d trust.
 */
export { defaultFetch as nodeFetch } from './default-transport.js';
