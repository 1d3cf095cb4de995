/**
 * @ferry/dest-pipedrive: a Destination for Pipedrive.
 */
export {};
