/**
 * The reference pipeline from a Flash Lead Sales export to Pipedrive.
 */
export {};
