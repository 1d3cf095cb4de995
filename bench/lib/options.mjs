// Command-line flags of the bench scripts: `--name` switches and `--name=<number>` values.

/** Returns whether `--name` is on the command line. */
export const flag = (name) => process.argv.includes(`--${name}`);

/** Returns the number given as `--name=<number>`, or `fallback`; rejects a value that is not one. */
export const numberOption = (name, fallback) => {
  const prefix = `--${name}=`;
  const arg = process.argv.find((candidate) => candidate.startsWith(prefix));
  if (arg === undefined) return fallback;
  const value = Number(arg.slice(prefix.length));
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${prefix}${arg.slice(prefix.length)} is invalid; use a positive number`);
  }
  return value;
};
