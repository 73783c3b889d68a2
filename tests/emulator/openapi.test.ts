// The contract is part of the repository: GET /openapi.json answers an OpenAPI 3.1 document generated from
// the client's route table and zod schemas, so every operation the client calls is in it, with its schemas.
import assert from "node:assert/strict";
import { startEmulator } from "../../emulator";
import type { EmulatorHandle } from "../../emulator";
import { OPERATION_NAMES, ROUTES } from "../../provider/api/routes";
import { planCreateSchema } from "../../provider/api/schemas";

interface Document {
  openapi: string;
  servers: { url: string }[];
  paths: Record<
    string,
    Record<string, { operationId: string; requestBody?: { content: Record<string, { schema: { $ref: string } }> } }>
  >;
  components: { schemas: Record<string, { required?: string[]; properties?: Record<string, unknown> }> };
}

describe("emulator GET /openapi.json", () => {
  let emulator: EmulatorHandle;
  before(async () => {
    emulator = await startEmulator({ port: 0 });
  });
  after(async () => emulator.close());

  it("serves the OpenAPI document of every operation the client calls, generated from its schemas", async () => {
    const response = await fetch(`http://127.0.0.1:${emulator.port}/openapi.json`);
    assert.equal(response.status, 200);
    const doc = (await response.json()) as Document;
    assert.equal(doc.openapi, "3.1.0");
    assert.deepEqual(doc.servers, [{ url: emulator.endpoint }]);
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => `${op.operationId} ${method.toUpperCase()} ${path}`),
    );
    assert.deepEqual(
      operations.sort(),
      OPERATION_NAMES.map((name) => `${name} ${ROUTES[name].method} /{project_id}${ROUTES[name].template}`).sort(),
    );
    const create = doc.paths["/{project_id}/plans/"]?.["post"]?.requestBody?.content["application/json"]?.schema.$ref;
    assert.equal(create, "#/components/schemas/PlanCreate");
    assert.deepEqual(
      doc.components.schemas["PlanCreate"]?.required?.sort(),
      Object.keys(planCreateSchema.shape).sort(),
    );
  });
});
