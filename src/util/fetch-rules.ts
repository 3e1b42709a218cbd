/** The fetch standard's numbers, shared by the transport's fetch (src/http) and the raw blob path so both follow the same rules. */

/** Statuses that redirect (with a Location). */
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
/** How many redirects a request follows before giving up, as fetch does. */
export const MAX_REDIRECTS = 20;
/** Statuses whose answer never has a body. */
export const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 204, 205, 304]);
/** An unwanted answer this small is read to its end, so its keep-alive connection is reused; a larger one is dropped. */
export const DRAIN_LIMIT_BYTES = 64 * 1024;
