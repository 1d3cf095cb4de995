/**
 * The runner of @ferry/core.
 */
export {};
