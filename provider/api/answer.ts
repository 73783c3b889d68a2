// One API answer read: a failure status becomes its typed error, a success body is parsed and checked against the
// operation's schema. Knows nothing of the session: the caller says what errors name and how text is redacted.
import type { z } from "zod";
import { errorFromResponse, parseRetryAfter } from "./error-body";
import { ResponseSchemaError, UnauthorizedError } from "./errors";
import type { HttpResponse } from "./http";
import { describeZodError } from "./schemas";

/** What every error about one call names. */
export interface AnsweredCall {
  operation: string;
  method: string;
  path: string;
  requestId: string | undefined;
  /** The path layout, once settled by detection (see dialect.ts). */
  layout?: string;
}

export interface AnswerOptions<T> {
  /** Absent (and no `check`): the answer's body is ignored (delete plan). */
  schema: z.ZodType<T> | undefined;
  /** Validates like `schema`, but the answer is the parsed JSON itself (unknown keys kept, nothing copied). */
  check?: z.ZodType<T>;
  /** Removes the secrets in use from the error body before it reaches an error. */
  redact: (text: string) => string;
  /** The client runs on a static token: a 401 then says to set a fresh one. */
  staticToken: boolean;
}

export function readAnswer<T>(response: HttpResponse, call: AnsweredCall, opts: AnswerOptions<T>): T {
  if (response.status < 200 || response.status >= 300) {
    const err = errorFromResponse(
      {
        ...call,
        status: response.status,
        retryAfterMs: parseRetryAfter(response.headers["retry-after"], Date.now()),
      },
      opts.redact(response.text),
    );
    if (err instanceof UnauthorizedError && opts.staticToken) {
      throw new UnauthorizedError({
        ...call,
        status: 401,
        code: err.code,
        title: err.title,
        apiMessage: err.apiMessage,
        errorKey: err.errorKey,
        message:
          `${err.message}; the static token was refused (expired or revoked?): ` +
          `set a fresh \`token\` or use Keystone settings`,
      });
    }
    throw err;
  }
  const schema = opts.check ?? opts.schema;
  if (schema === undefined) return undefined as T;
  let json: unknown;
  try {
    json = JSON.parse(response.text) as unknown;
  } catch {
    throw new ResponseSchemaError({
      ...call,
      status: response.status,
      field: "",
      issues: [`the body is not JSON (${response.text.length} bytes)`],
    });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const { field, issues } = describeZodError(parsed.error);
    throw new ResponseSchemaError({ ...call, status: response.status, field, issues });
  }
  return opts.check === undefined ? parsed.data : (json as T);
}
