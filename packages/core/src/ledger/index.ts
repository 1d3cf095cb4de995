/**
 * The ledger of @ferry/core.
 */
export {};
