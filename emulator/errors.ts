// The API's error body is `{code, title, message, error_key, details}` (the API reference, errors). Every failure the
// emulator answers is raised as an ApiFailure where it is detected and rendered once by the server.

export interface ValidationEntry {
  loc: (string | number)[];
  msg: string;
  type: string;
  /** pydantic-style context; the emulator puts the suggested fix here. */
  ctx?: { fix: string };
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    message: string,
    readonly errorKey: string,
    readonly details: Record<string, unknown> | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiFailure";
  }

  body(): { code: string; title: string; message: string; error_key: string; details: Record<string, unknown> | null } {
    return {
      code: this.code,
      title: this.title,
      message: this.message,
      error_key: this.errorKey,
      details: this.details,
    };
  }
}

export const badRequest = (
  message: string,
  errorKey: string,
  details: Record<string, unknown> | null = null,
): ApiFailure => new ApiFailure(400, "bad_request", "Bad Request", message, errorKey, details);

export const unauthorized = (message: string, errorKey: string): ApiFailure =>
  new ApiFailure(401, "unauthorized", "Unauthorized", message, errorKey);

export const forbidden = (message: string, errorKey: string): ApiFailure =>
  new ApiFailure(403, "forbidden", "Forbidden", message, errorKey);

export const notFound = (message: string, errorKey: string): ApiFailure =>
  new ApiFailure(404, "not_found", "Not Found", message, errorKey);

export function validationFailed(errors: ValidationEntry[]): ApiFailure {
  const summary = errors
    .slice(0, 3)
    .map((e) => `${e.loc.slice(1).join(".") || e.loc.join(".")}: ${e.msg}`)
    .join("; ");
  const more = errors.length > 3 ? ` (and ${errors.length - 3} more)` : "";
  const noun = errors.length === 1 ? "problem" : "problems";
  return new ApiFailure(
    422,
    "validation_error",
    "Unprocessable Entity",
    `${errors.length} ${noun} in the request: ${summary}${more}`,
    "request.validation_failed",
    { errors },
  );
}

/** Status codes injected by the fault engine answer the same body shape as real failures. */
export function injectedFailure(status: number, operation: string, retryAfterSeconds: number | undefined): ApiFailure {
  const headers: Record<string, string> = {};
  if (retryAfterSeconds !== undefined) headers["Retry-After"] = String(retryAfterSeconds);
  const titles: Record<number, [string, string]> = {
    429: ["too_many_requests", "Too Many Requests"],
    500: ["internal_error", "Internal Server Error"],
    502: ["bad_gateway", "Bad Gateway"],
    503: ["service_unavailable", "Service Unavailable"],
    504: ["gateway_timeout", "Gateway Timeout"],
  };
  const [code, title] = titles[status] ?? [`http_${status}`, `HTTP ${status}`];
  return new ApiFailure(
    status,
    code,
    title,
    `${title} (injected by the emulator's fault rule for ${operation})`,
    `fault.${code}`,
    null,
    headers,
  );
}
