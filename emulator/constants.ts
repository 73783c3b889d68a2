// Emulator defaults and the API's fixed bounds.

/** The API reference, pagination: `limit` is 1..1000 and defaults to 1000. */
export const MAX_PAGE_SIZE = 1000;
/** Default time a backup stays `protecting`, in virtual seconds. */
export const DEFAULT_PROTECTING_SECONDS = 600;
/** Keystone tokens live 24 h unless configured otherwise. */
export const DEFAULT_TOKEN_TTL_SECONDS = 24 * 3600;
