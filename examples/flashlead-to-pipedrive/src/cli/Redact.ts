/**
 * Removes secrets from text before the command line prints it: the API token from the
 * environment in any of the encodings `secretPattern` covers (percent-encoded, JSON- or
 * HTML-escaped, and others), and anything that looks like an `api_token` query parameter or
 * `x-api-token` header value.
 */
import { redactText, secretPattern } from "@ferry/dest-pipedrive";

const patterns: ReadonlyArray<RegExp> = [
  /(api_token=)[^&\s"']+/gi,
  /(x-api-token["']?\s*[:=]\s*["']?)[^\s"',}]+/gi,
];

/** Secrets shorter than this are left alone, because they would match ordinary text. */
const minSecretLength = 4;

/** Replaces every occurrence of the given secrets and of token-looking patterns with `[redacted]`. */
export const redact = (text: string, secrets: ReadonlyArray<string | undefined>): string => {
  let result = text;
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= minSecretLength) {
      result = redactText(result, secretPattern(secret));
    }
  }
  for (const pattern of patterns) result = result.replace(pattern, "$1[redacted]");
  return result;
};
