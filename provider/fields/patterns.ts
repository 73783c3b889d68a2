// The id forms the API's paths and bodies take. Pure: the field tables, the shared rules and the emulator
// read them.

/** Any 8-4-4-4-12 hex id. Deliberately not RFC 9562 UUID: Cinder ids in fixtures use other version nibbles. */
export const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** A project (Keystone tenant) id: a GUID, or the 32 hex digits Keystone itself writes. */
export const PROJECT_ID_RE =
  /^(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/;
