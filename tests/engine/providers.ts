/**
 * Resource providers as the engine sees them: the real `pulumi-nodejs` dynamic-provider plugin over
 * gRPC, and the built-in echo provider that stands in for packages whose plugins are not available.
 * Every property map here is plaintext: callers strip secrets before and re-mark them after
 * (the dynamic plugin answers Configure with acceptSecrets=false).
 */
import * as grpc from "@grpc/grpc-js";
import { randomBytes } from "node:crypto";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import * as providerGrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as statusPb from "@pulumi/pulumi/proto/status_pb";
import { changedKeys, toJsonValue, type PropertyMap } from "./properties.js";

export interface CheckFailure {
  property: string;
  reason: string;
}
export interface CheckResult {
  inputs: PropertyMap;
  failures: CheckFailure[];
}
export interface DiffResult {
  changes: "unknown" | "none" | "some";
  replaces: string[];
  diffs: string[];
  deleteBeforeReplace: boolean;
}
export interface ReadResult {
  id: string;
  properties: PropertyMap;
  inputs?: PropertyMap;
}
export interface ResourceRef {
  urn: string;
  type: string;
  name: string;
}

/** A provider call failed; `initFailure` is set when the resource was created but failed to initialize. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly initFailure?: { id: string; properties: PropertyMap; reasons: string[] },
  ) {
    super(message);
    this.name = "ProviderError";
  }
}

export interface ResourceProvider {
  /** Configure with the provider resource's URN and its inputs (plaintext). */
  configure(providerUrn: string, args: PropertyMap): Promise<void>;
  check(ref: ResourceRef, olds: PropertyMap, news: PropertyMap): Promise<CheckResult>;
  diff(
    ref: ResourceRef,
    id: string,
    oldOutputs: PropertyMap,
    news: PropertyMap,
    oldInputs: PropertyMap,
    ignoreChanges: string[],
  ): Promise<DiffResult>;
  create(ref: ResourceRef, news: PropertyMap): Promise<{ id: string; properties: PropertyMap }>;
  read(
    ref: ResourceRef,
    id: string,
    inputs: PropertyMap | undefined,
    state: PropertyMap | undefined,
  ): Promise<ReadResult>;
  update(
    ref: ResourceRef,
    id: string,
    oldOutputs: PropertyMap,
    news: PropertyMap,
    oldInputs: PropertyMap,
    ignoreChanges: string[],
  ): Promise<PropertyMap>;
  delete(ref: ResourceRef, id: string, outputs: PropertyMap, oldInputs: PropertyMap): Promise<void>;
  close(): void;
}

function toStruct(map: PropertyMap): Struct {
  return Struct.fromJavaScript(toJsonValue(map) as Parameters<typeof Struct.fromJavaScript>[0]);
}

function fromStruct(struct: Struct | undefined): PropertyMap {
  return struct?.toJavaScript() ?? {};
}

/** The provider's message, and the partially created resource when the plugin sent ErrorResourceInitFailed. */
function providerErrorFrom(err: grpc.ServiceError): ProviderError {
  const message = err.details || err.message;
  const [statusBytes] = err.metadata?.get("grpc-status-details-bin") ?? [];
  if (statusBytes instanceof Buffer) {
    try {
      const status = statusPb.Status.deserializeBinary(new Uint8Array(statusBytes));
      for (const detail of status.getDetailsList()) {
        if (!detail.getTypeName().endsWith("pulumirpc.ErrorResourceInitFailed")) continue;
        const init = providerPb.ErrorResourceInitFailed.deserializeBinary(detail.getValue_asU8());
        return new ProviderError(message, {
          id: init.getId(),
          properties: fromStruct(init.getProperties()),
          reasons: init.getReasonsList(),
        });
      }
    } catch {
      // Undecodable details: the plain message is still the best we have.
    }
  }
  return new ProviderError(message);
}

type Callback<Res> = (error: grpc.ServiceError | null, response: Res) => void;

function call<Res>(invoke: (callback: Callback<Res>) => unknown): Promise<Res> {
  return new Promise((resolve, reject) => {
    invoke((error, response) => (error ? reject(providerErrorFrom(error)) : resolve(response)));
  });
}

/** Client of a plugin process speaking pulumirpc.ResourceProvider (the dynamic provider host). */
export class PluginProvider implements ResourceProvider {
  private readonly client: providerGrpc.ResourceProviderClient;

  constructor(port: number) {
    this.client = new providerGrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": 400 * 1024 * 1024,
    });
  }

  async configure(providerUrn: string, args: PropertyMap): Promise<void> {
    const request = new providerPb.ConfigureRequest();
    request.setArgs(toStruct(args));
    request.setAcceptsecrets(true);
    request.setAcceptresources(true);
    request
      .setUrn(providerUrn)
      .setName("default")
      .setType(providerUrn.split("::")[2] ?? "");
    for (const [key, value] of Object.entries(args)) {
      if (typeof value === "string") request.getVariablesMap().set(key, value);
    }
    await call<providerPb.ConfigureResponse>((cb) => this.client.configure(request, cb));
  }

  async check(ref: ResourceRef, olds: PropertyMap, news: PropertyMap): Promise<CheckResult> {
    const request = new providerPb.CheckRequest();
    request.setUrn(ref.urn).setName(ref.name).setType(ref.type);
    request.setOlds(toStruct(olds)).setNews(toStruct(news));
    request.setRandomseed(new Uint8Array(randomBytes(32)));
    const response = await call<providerPb.CheckResponse>((cb) => this.client.check(request, cb));
    return {
      inputs: fromStruct(response.getInputs()),
      failures: response.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diff(
    ref: ResourceRef,
    id: string,
    oldOutputs: PropertyMap,
    news: PropertyMap,
    oldInputs: PropertyMap,
    ignoreChanges: string[],
  ): Promise<DiffResult> {
    const request = new providerPb.DiffRequest();
    request.setUrn(ref.urn).setName(ref.name).setType(ref.type).setId(id);
    request.setOlds(toStruct(oldOutputs)).setNews(toStruct(news)).setOldInputs(toStruct(oldInputs));
    request.setIgnorechangesList(ignoreChanges);
    const response = await call<providerPb.DiffResponse>((cb) => this.client.diff(request, cb));
    const kinds = providerPb.DiffResponse.DiffChanges;
    const changes = response.getChanges();
    return {
      changes: changes === kinds.DIFF_SOME ? "some" : changes === kinds.DIFF_NONE ? "none" : "unknown",
      replaces: response.getReplacesList(),
      diffs: response.getDiffsList(),
      deleteBeforeReplace: response.getDeletebeforereplace(),
    };
  }

  async create(ref: ResourceRef, news: PropertyMap): Promise<{ id: string; properties: PropertyMap }> {
    const request = new providerPb.CreateRequest();
    request.setUrn(ref.urn).setName(ref.name).setType(ref.type).setProperties(toStruct(news));
    const response = await call<providerPb.CreateResponse>((cb) => this.client.create(request, cb));
    return { id: response.getId(), properties: fromStruct(response.getProperties()) };
  }

  async read(
    ref: ResourceRef,
    id: string,
    inputs: PropertyMap | undefined,
    state: PropertyMap | undefined,
  ): Promise<ReadResult> {
    const request = new providerPb.ReadRequest();
    request.setUrn(ref.urn).setName(ref.name).setType(ref.type).setId(id);
    // An import has neither (ImportStep.Apply in pkg/resource/deploy/step.go calls Read with nil maps),
    // which provider_plugin.go marshals as empty structs: the plugin then finds no `__provider`.
    request.setProperties(toStruct(state ?? {}));
    request.setInputs(toStruct(inputs ?? {}));
    const response = await call<providerPb.ReadResponse>((cb) => this.client.read(request, cb));
    const result: ReadResult = { id: response.getId(), properties: fromStruct(response.getProperties()) };
    if (response.hasInputs()) result.inputs = fromStruct(response.getInputs());
    return result;
  }

  async update(
    ref: ResourceRef,
    id: string,
    oldOutputs: PropertyMap,
    news: PropertyMap,
    oldInputs: PropertyMap,
    ignoreChanges: string[],
  ): Promise<PropertyMap> {
    const request = new providerPb.UpdateRequest();
    request.setUrn(ref.urn).setName(ref.name).setType(ref.type).setId(id);
    request.setOlds(toStruct(oldOutputs)).setNews(toStruct(news)).setOldInputs(toStruct(oldInputs));
    request.setIgnorechangesList(ignoreChanges);
    const response = await call<providerPb.UpdateResponse>((cb) => this.client.update(request, cb));
    return fromStruct(response.getProperties());
  }

  async delete(ref: ResourceRef, id: string, outputs: PropertyMap, oldInputs: PropertyMap): Promise<void> {
    const request = new providerPb.DeleteRequest();
    request.setUrn(ref.urn).setName(ref.name).setType(ref.type).setId(id);
    request.setProperties(toStruct(outputs)).setOldInputs(toStruct(oldInputs));
    await call<unknown>((cb) => this.client.delete(request, cb));
  }

  close(): void {
    this.client.close();
  }
}

/**
 * Test fixture standing in for providers whose plugins cannot be installed (`--fake-package`):
 * Check echoes, Diff compares inputs, Create invents an id, outputs are the inputs, Read echoes the
 * state. It talks to nothing; it exists so programs can declare e.g. an `openstack` volume.
 */
export class EchoProvider implements ResourceProvider {
  async configure(): Promise<void> {}

  async check(_ref: ResourceRef, _olds: PropertyMap, news: PropertyMap): Promise<CheckResult> {
    return { inputs: news, failures: [] };
  }

  async diff(
    _ref: ResourceRef,
    _id: string,
    _oldOutputs: PropertyMap,
    news: PropertyMap,
    oldInputs: PropertyMap,
  ): Promise<DiffResult> {
    const diffs = changedKeys(oldInputs, news);
    return { changes: diffs.length ? "some" : "none", replaces: [], diffs, deleteBeforeReplace: false };
  }

  async create(ref: ResourceRef, news: PropertyMap): Promise<{ id: string; properties: PropertyMap }> {
    return { id: `${ref.name}-${randomBytes(4).toString("hex")}`, properties: news };
  }

  async read(
    _ref: ResourceRef,
    id: string,
    inputs: PropertyMap | undefined,
    state: PropertyMap | undefined,
  ): Promise<ReadResult> {
    const result: ReadResult = { id, properties: state ?? {} };
    if (inputs) result.inputs = inputs;
    return result;
  }

  async update(_ref: ResourceRef, _id: string, _oldOutputs: PropertyMap, news: PropertyMap): Promise<PropertyMap> {
    return news;
  }

  async delete(): Promise<void> {}

  close(): void {}
}

/** Reports every call of a provider and its answer (`RunOptions.trace`); the calls themselves are untouched. */
export class TracingProvider implements ResourceProvider {
  constructor(
    private readonly inner: ResourceProvider,
    private readonly trace: (kind: "provider-call" | "provider-answered", method: string, urn: string) => void,
  ) {}

  private async traced<T>(method: string, urn: string, work: () => Promise<T>): Promise<T> {
    this.trace("provider-call", method, urn);
    try {
      return await work();
    } finally {
      this.trace("provider-answered", method, urn);
    }
  }

  configure(providerUrn: string, args: PropertyMap): Promise<void> {
    return this.traced("configure", providerUrn, () => this.inner.configure(providerUrn, args));
  }
  check(ref: ResourceRef, olds: PropertyMap, news: PropertyMap): Promise<CheckResult> {
    return this.traced("check", ref.urn, () => this.inner.check(ref, olds, news));
  }
  diff(
    ref: ResourceRef,
    id: string,
    oldOutputs: PropertyMap,
    news: PropertyMap,
    oldInputs: PropertyMap,
    ignoreChanges: string[],
  ): Promise<DiffResult> {
    return this.traced("diff", ref.urn, () => this.inner.diff(ref, id, oldOutputs, news, oldInputs, ignoreChanges));
  }
  create(ref: ResourceRef, news: PropertyMap): Promise<{ id: string; properties: PropertyMap }> {
    return this.traced("create", ref.urn, () => this.inner.create(ref, news));
  }
  read(
    ref: ResourceRef,
    id: string,
    inputs: PropertyMap | undefined,
    state: PropertyMap | undefined,
  ): Promise<ReadResult> {
    return this.traced("read", ref.urn, () => this.inner.read(ref, id, inputs, state));
  }
  update(
    ref: ResourceRef,
    id: string,
    oldOutputs: PropertyMap,
    news: PropertyMap,
    oldInputs: PropertyMap,
    ignoreChanges: string[],
  ): Promise<PropertyMap> {
    return this.traced("update", ref.urn, () => this.inner.update(ref, id, oldOutputs, news, oldInputs, ignoreChanges));
  }
  delete(ref: ResourceRef, id: string, outputs: PropertyMap, oldInputs: PropertyMap): Promise<void> {
    return this.traced("delete", ref.urn, () => this.inner.delete(ref, id, outputs, oldInputs));
  }
  close(): void {
    this.inner.close();
  }
}
