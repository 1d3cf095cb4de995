/**
 * The report of @ferry/core.
 */
export {};
