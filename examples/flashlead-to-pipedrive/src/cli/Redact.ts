/**
 * Removes secrets from text before the command line prints it: the API token from the
 * environment, and anything that looks like an `api_token` query parameter or `x-api-token`
 * header value.
 */

const patterns: ReadonlyArray<RegExp> = [
  /(api_token=)[^&\s"']+/gi,
  /(x-api-token["']?\s*[:=]\s*["']?)[^\s"',}]+/gi,
];

/** Replaces every occurrence of the given secrets and of token-looking patterns with `[redacted]`. */
export const redact = (text: string, secrets: ReadonlyArray<string | undefined>): string => {
  let result = text;
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= 4)
      result = result.split(secret).join("[redacted]");
  }
  for (const pattern of patterns) result = result.replace(pattern, "$1[redacted]");
  return result;
};
