// Public surface of the API client (`pulumi-scheduled-backup/client`). Knows HTTP and the API, nothing of Pulumi.
export { ScheduledBackupClient, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_SECONDS, type ClientConfig } from "./client";
export { collect, paginate, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Page } from "./pagination";
export {
  ApiError,
  BadRequestError,
  UnauthorizedError,
  ForbiddenError,
  NotFoundError,
  ConflictError,
  ValidationError,
  RateLimitedError,
  ServerError,
  NetworkError,
  TimeoutError,
  WaitTimeoutError,
  ResponseSchemaError,
  RequestSchemaError,
  ConfigError,
  isAmbiguousCreateFailure,
  type ApiErrorInit,
  type FailurePhase,
  type ValidationProblem,
} from "./errors";
export { UnexpectedPlanStatusError, realClock, type Clock } from "./waiters";
export { ROUTES, OPERATION_NAMES, PATH_LAYOUTS, buildPath, parseBaseUrl, type OperationName, type PathLayout, type Route } from "./routes";
export { closeSharedDispatchers, type Backoff } from "./http";
export { SERVICE_TYPE, findServiceEndpoint } from "./auth";
export * from "./schemas";
export type * from "./types";
