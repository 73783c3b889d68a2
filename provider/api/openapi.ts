// The API contract as this repository understands it, as an OpenAPI 3.1 document generated from the one
// route table (routes.ts) and the client's zod schemas (schemas.ts) with `z.toJSONSchema`: the emulator
// serves it at `GET /openapi.json`, so the contract lives in the repository and cannot drift from the code.
// Requests are described as the client sends them (strict), responses as it accepts them (tolerant).
import { z } from "zod";
import { OPERATION_NAMES, ROUTES } from "./routes";
import type { OperationName } from "./routes";
import {
  apiErrorBodySchema,
  chainDeletedSchema,
  checkpointDeletedSchema,
  checkpointListQuerySchema,
  checkpointPageSchema,
  checkpointSchema,
  planCreateSchema,
  planListQuerySchema,
  planPageSchema,
  planSchema,
  planUpdatedSchema,
  planUpdateSchema,
  restoreCreateSchema,
  restoreSchema,
} from "./schemas";

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  return rest;
}

const COMPONENTS = {
  PlanCreate: jsonSchema(planCreateSchema, "input"),
  PlanUpdate: jsonSchema(planUpdateSchema, "input"),
  RestoreCreate: jsonSchema(restoreCreateSchema, "input"),
  Plan: jsonSchema(planSchema, "output"),
  PlanUpdated: jsonSchema(planUpdatedSchema, "output"),
  PlanPage: jsonSchema(planPageSchema, "output"),
  Checkpoint: jsonSchema(checkpointSchema, "output"),
  CheckpointPage: jsonSchema(checkpointPageSchema, "output"),
  CheckpointDeleted: jsonSchema(checkpointDeletedSchema, "output"),
  ChainDeleted: jsonSchema(chainDeletedSchema, "output"),
  Restore: jsonSchema(restoreSchema, "output"),
  Error: jsonSchema(apiErrorBodySchema, "output"),
} as const;
type Component = keyof typeof COMPONENTS;

const ref = (name: Component) => ({ $ref: `#/components/schemas/${name}` });

interface OperationShape {
  summary: string;
  body?: Component;
  query?: z.ZodObject;
  answer: { status: number; schema?: Component };
}

const OPERATIONS: Record<OperationName, OperationShape> = {
  listPlans: {
    summary: "List plans (filters: exact name, volume name; paged by limit and marker)",
    query: planListQuerySchema,
    answer: { status: 200, schema: "PlanPage" },
  },
  createPlan: { summary: "Create a plan", body: "PlanCreate", answer: { status: 201, schema: "Plan" } },
  getPlan: { summary: "Get a plan", answer: { status: 200, schema: "Plan" } },
  updatePlan: {
    summary: "Update a plan (only the fields sent)",
    body: "PlanUpdate",
    answer: { status: 200, schema: "PlanUpdated" },
  },
  deletePlan: { summary: "Delete a plan (asynchronous: GET answers 404 once it is gone)", answer: { status: 204 } },
  listCheckpoints: {
    summary: "List checkpoints (filters: plan name, volume name; paged)",
    query: checkpointListQuerySchema,
    answer: { status: 200, schema: "CheckpointPage" },
  },
  getCheckpoint: { summary: "Get a checkpoint and its items", answer: { status: 200, schema: "Checkpoint" } },
  deleteCheckpoint: { summary: "Delete one checkpoint", answer: { status: 200, schema: "CheckpointDeleted" } },
  deleteCheckpointsByChain: {
    summary: "Delete every checkpoint of a chain (query chain_id)",
    answer: { status: 200, schema: "ChainDeleted" },
  },
  createRestore: {
    summary: "Restore a checkpoint item into a new volume",
    body: "RestoreCreate",
    answer: { status: 201, schema: "Restore" },
  },
};

function queryParameters(query: z.ZodObject | undefined, operation: OperationName): unknown[] {
  if (operation === "deleteCheckpointsByChain") {
    return [{ name: "chain_id", in: "query", required: true, schema: { type: "string", format: "uuid" } }];
  }
  if (query === undefined) return [];
  const properties = (jsonSchema(query, "input")["properties"] ?? {}) as Record<string, JsonSchema>;
  return Object.entries(properties).map(([name, schema]) => ({ name, in: "query", required: false, schema }));
}

/** The document; `server` is the API's base URL including `/data-protect/v2`. */
export function openApiDocument(
  server = "https://ru-3.cloud.api.selcloud.ru/data-protect/v2",
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const name of OPERATION_NAMES) {
    const route = ROUTES[name];
    const shape = OPERATIONS[name];
    const path = `/{project_id}${route.template.replace("{id}", "{id}")}`;
    const parameters: unknown[] = [{ name: "project_id", in: "path", required: true, schema: { type: "string" } }];
    if (route.template.includes("{id}"))
      parameters.push({ name: "id", in: "path", required: true, schema: { type: "string" } });
    parameters.push(...queryParameters(shape.query, name));
    const responses: Record<string, unknown> = {
      [String(shape.answer.status)]:
        shape.answer.schema === undefined
          ? { description: "done" }
          : { description: "success", content: { "application/json": { schema: ref(shape.answer.schema) } } },
      default: {
        description: "an error: 400, 401, 403, 404, 409, 422 (every problem at once), 429, 5xx",
        content: { "application/json": { schema: ref("Error") } },
      },
    };
    const operation: Record<string, unknown> = { operationId: name, summary: shape.summary, parameters, responses };
    if (shape.body !== undefined)
      operation["requestBody"] = { required: true, content: { "application/json": { schema: ref(shape.body) } } };
    (paths[path] ??= {})[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Scheduled Backup API v2 (as pulumi-scheduled-backup uses it)",
      version: "2",
      description:
        "Generated from provider/api/routes.ts and provider/api/schemas.ts. Paths are shown in the `project` layout; " +
        "the `token` layout drops the `/{project_id}` segment. Authenticate with a Keystone v3 token in X-Auth-Token.",
    },
    servers: [{ url: server }],
    security: [{ keystoneToken: [] }],
    paths,
    components: {
      schemas: COMPONENTS,
      securitySchemes: { keystoneToken: { type: "apiKey", in: "header", name: "X-Auth-Token" } },
    },
  };
}
