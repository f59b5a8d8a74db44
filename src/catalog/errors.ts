/** Errors of the catalog client; src/cli/errors.ts maps each to an exit code. */

/** --url is not an http(s) URL (exit 2). */
export class CatalogUrlError extends Error {}
/** The catalog cannot be reached: refused, unknown host, timeout (exit 4). */
export class CatalogUnreachableError extends Error {}
/** The catalog answered 404 for a server (exit 6). */
export class CatalogNotFoundError extends Error {}
/** The catalog answered with an error or with something that is not the MCP Registry API (exit 1). */
export class CatalogResponseError extends Error {}
/** A value for `catalog serve` is unusable (exit 2). */
export class CatalogSettingsError extends Error {}
/** The HTTP server cannot listen on the address (in use, not allowed, not local) (exit 1). */
export class CatalogListenError extends Error {}
