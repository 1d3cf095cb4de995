/**
 * @ferry/mapping: the mapping plan, its proposer and confirmation, and the transforms.
 */
export {};
