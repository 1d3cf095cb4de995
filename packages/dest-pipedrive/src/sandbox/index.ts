/**
 * @ferry/dest-pipedrive/sandbox: a local simulator of the Pipedrive API.
 */
export {};
