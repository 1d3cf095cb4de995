/**
 * An error response of the simulated API. Handlers throw it, and the server turns it into
 * Pipedrive's error envelope `{ success: false, error, error_info, data: null, additional_data:
 * null }`.
 */

/** An HTTP error with the message Pipedrive would send. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly errorInfo: string = "Please check developers.pipedrive.com for more information about Pipedrive API.",
    /** Extra top-level envelope members, such as the plan-cap `code`. */
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(`HTTP ${status}: ${error}`);
  }

  /** Builds the JSON body of the error envelope. */
  toBody(): Record<string, unknown> {
    return {
      success: false,
      error: this.error,
      error_info: this.errorInfo,
      data: null,
      additional_data: null,
      ...this.extra,
    };
  }
}

/** A 400 for a request body or query that fails validation. */
export const validationError = (path: string, reason: string): ApiError =>
  new ApiError(
    400,
    path === "" ? `Validation failed: ${reason}` : `Validation failed: ${path}: ${reason}`,
  );

/** A 404 for a record that does not exist. */
export const notFound = (what: string): ApiError =>
  new ApiError(404, `${what} not found`, "Object was not found.");

/** A 403 for a user without the permission an operation needs. */
export const forbidden = (message: string): ApiError =>
  new ApiError(403, message, "You do not have the permission to perform this action.");
