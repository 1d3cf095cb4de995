/**
 * @ferry/source-flashlead: a Source for Flash Lead Sales CSV export folders.
 */
export {};
