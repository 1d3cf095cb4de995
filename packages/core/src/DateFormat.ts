/**
 * Date and time formats: inference of a column's date order and parsing of its values.
 */
export {};
