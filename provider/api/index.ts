// Public surface of the API client (`pulumi-scheduled-backup/client`). Knows HTTP and the API, nothing of Pulumi.
//
//   const client = new ScheduledBackupClient({ authUrl, username, password, accountId, projectId, region: "ru-3" });
//   const plan = await client.createPlan({ name: "nightly", description: "", backup_mode: "full", max_backups: 7,
//     schedule_type: "crontab", schedule_pattern: "0 2 * * *",
//     resources: [{ id, name: "db-1", type: "OS::Cinder::Volume" }] });
//   await client.waitForPlanStatus(plan.id, "started", { timeoutMs: 300_000 });
//   for await (const checkpoint of client.checkpoints({ planName: "nightly" })) console.log(checkpoint.id);
//
// Failures are typed (errors.ts); `isAmbiguousCreateFailure(err)` says when a failed create must be looked up
// by name before it is tried again.
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
export {
  ROUTES,
  OPERATION_NAMES,
  PATH_LAYOUTS,
  PATH_LAYOUT_SETTINGS,
  buildPath,
  parseBaseUrl,
  type OperationName,
  type PathLayout,
  type PathLayoutSetting,
  type Route,
} from "./routes";
export { isRouteNotFound, forgetDetectedShape, type ServiceShape } from "./dialect";
export { closeSharedDispatchers, type Backoff } from "./http";
export { SERVICE_TYPE, findServiceEndpoint } from "./auth";
export * from "./schemas";
export type * from "./types";
