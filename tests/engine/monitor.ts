/**
 * The gRPC face the Pulumi runtime talks to: pulumirpc.ResourceMonitor (what source_eval.go serves in
 * the real engine) and pulumirpc.Engine (logging, root resource). It only translates messages; the
 * decisions live in deployment.ts. Besides, it tracks RPC activity so the runner can tear it down
 * once a failed run goes quiet (a program whose channels stay open lingers for ~50 s otherwise).
 */
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import * as resourcePb from "@pulumi/pulumi/proto/resource_pb";
import * as resourceGrpc from "@pulumi/pulumi/proto/resource_grpc_pb";
import * as enginePb from "@pulumi/pulumi/proto/engine_pb";
import * as engineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import type { Deployment, Goal } from "./deployment.js";
import { toJsonValue, type PropertyMap } from "./properties.js";
import type { Diagnostic } from "./types.js";

/**
 * Claimed features, by their legacy `SupportsFeature` id and their `ResourceMonitorFeature` enum name
 * (what `GetDeploymentInfo` lists). `secrets` keeps secretness (without it the SDK flattens secrets);
 * `deletedWith` is a plain field the engine honours at delete time. Each other feature would oblige
 * us to handle its encoding or RPC (resource references, output values, alias specs, transforms, hooks).
 */
const SUPPORTED_FEATURES: ReadonlyMap<string, string> = new Map([
  ["secrets", "RESOURCE_MONITOR_FEATURE_SECRETS"],
  ["deletedWith", "RESOURCE_MONITOR_FEATURE_DELETED_WITH"],
]);

/** What `GetDeploymentInfo` reports besides the features: the run the language host was started for. */
export interface DeploymentInfoFields {
  project: string;
  stack: string;
  organization: string;
  /** Plain config values by `namespace:key`, secrets included (as `Run` passes them to the program). */
  config: Record<string, string>;
  configSecretKeys: string[];
  dryRun: boolean;
  parallel: number;
}

/**
 * The slice of `pulumirpc.DeploymentInfo` we fill. Older SDKs (3.229, the peer floor) lack the message
 * and the RPC, so both are looked up at run time: the suite builds against every SDK the package admits.
 */
interface DeploymentInfoMessage {
  setProject(value: string): DeploymentInfoMessage;
  setStack(value: string): DeploymentInfoMessage;
  setOrganization(value: string): DeploymentInfoMessage;
  getConfigMap(): { set(key: string, value: string): unknown };
  setConfigsecretkeysList(value: string[]): DeploymentInfoMessage;
  setDryrun(value: boolean): DeploymentInfoMessage;
  setParallel(value: number): DeploymentInfoMessage;
  setSupportedfeaturesList(value: number[]): DeploymentInfoMessage;
}
const newerProto = resourcePb as unknown as {
  DeploymentInfo?: new () => DeploymentInfoMessage;
  ResourceMonitorFeature?: Record<string, number>;
};

export interface LogSink {
  (diagnostic: Diagnostic, ephemeral: boolean): void;
}

function toStruct(map: PropertyMap): Struct {
  return Struct.fromJavaScript(toJsonValue(map) as Parameters<typeof Struct.fromJavaScript>[0]);
}

function errorOf(err: unknown): grpc.ServiceError {
  const message = err instanceof Error ? err.message : String(err);
  return Object.assign(new Error(message), {
    code: grpc.status.UNKNOWN,
    details: message,
    metadata: new grpc.Metadata(),
  });
}

function unimplemented(name: string): grpc.handleUnaryCall<unknown, unknown> {
  return (_call, callback) =>
    callback({ code: grpc.status.UNIMPLEMENTED, details: `${name} is not implemented by the engine stand-in` });
}

export function goalFromRequest(req: resourcePb.RegisterResourceRequest): Goal {
  const propertyDependencies: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((deps, key) => {
    propertyDependencies[key] = deps.getUrnsList();
  });
  const goal: Goal = {
    type: req.getType(),
    name: req.getName(),
    parent: req.getParent(),
    custom: req.getCustom(),
    inputs: req.getObject()?.toJavaScript() ?? {},
    dependencies: req.getDependenciesList(),
    propertyDependencies,
    ignoreChanges: req.getIgnorechangesList(),
    additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
    replaceOnChanges: req.getReplaceonchangesList(),
    importId: req.getImportid(),
    deletedWith: req.getDeletedwith(),
    providerRef: req.getProvider(),
    // Without the `aliasSpecs` feature the SDK resolves aliases to URNs itself.
    aliases: req.getAliasurnsList(),
  };
  if (req.hasProtect()) goal.protect = req.getProtect();
  if (req.getDeletebeforereplacedefined()) goal.deleteBeforeReplace = req.getDeletebeforereplace();
  if (req.hasRetainondelete()) goal.retainOnDelete = req.getRetainondelete();
  return goal;
}

const SEVERITIES: Record<number, Diagnostic["severity"]> = {
  [enginePb.LogSeverity.DEBUG]: "debug",
  [enginePb.LogSeverity.INFO]: "info",
  [enginePb.LogSeverity.WARNING]: "warning",
  [enginePb.LogSeverity.ERROR]: "error",
};

export class MonitorServer {
  readonly server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  private active = 0;
  private lastActivity = Date.now();
  /** Registrations answered after a failure are held: the real engine stops stepping once cancelled. */
  private readonly held: (() => void)[] = [];
  port = 0;

  constructor(
    private readonly deployment: Deployment | undefined,
    private readonly log: LogSink,
    private readonly info?: DeploymentInfoFields,
  ) {
    this.server.addService(resourceGrpc.ResourceMonitorService, this.monitorHandlers());
    this.server.addService(engineGrpc.EngineService, this.engineHandlers());
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** No RPC in progress and none for `quietMs`. */
  quietFor(quietMs: number): boolean {
    return this.active === 0 && Date.now() - this.lastActivity >= quietMs;
  }

  async start(): Promise<void> {
    this.port = await new Promise<number>((resolve, reject) => {
      this.server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) =>
        err ? reject(err) : resolve(port),
      );
    });
  }

  /** Drops every connection at once; held and in-flight calls end with CANCELLED on the program side. */
  shutdown(): void {
    this.server.forceShutdown();
    for (const release of this.held.splice(0)) release();
  }

  private wrap<Req, Res>(handler: (request: Req) => Promise<Res>): grpc.handleUnaryCall<Req, Res> {
    return (call, callback) => {
      this.active += 1;
      this.lastActivity = Date.now();
      handler(call.request)
        .then(
          (response) => callback(null, response),
          (err: unknown) => callback(errorOf(err)),
        )
        .finally(() => {
          this.active -= 1;
          this.lastActivity = Date.now();
        });
    };
  }

  private requireDeployment(): Deployment {
    if (!this.deployment) throw new Error("no deployment is running");
    return this.deployment;
  }

  /** After a failure new registrations wait (not counted as activity) until the monitor is torn down. */
  private async holdIfFailed(): Promise<void> {
    if (!this.deployment?.failed) return;
    this.active -= 1;
    await new Promise<void>((resolve) => this.held.push(resolve));
    this.active += 1;
    throw new Error("deployment cancelled after an earlier failure");
  }

  private monitorHandlers(): grpc.UntypedServiceImplementation {
    return {
      supportsFeature: this.wrap(async (req: resourcePb.SupportsFeatureRequest) =>
        new resourcePb.SupportsFeatureResponse().setHassupport(SUPPORTED_FEATURES.has(req.getId())),
      ),
      registerResource: this.wrap(async (req: resourcePb.RegisterResourceRequest) => {
        await this.holdIfFailed();
        const outcome = await this.requireDeployment().register(goalFromRequest(req));
        const response = new resourcePb.RegisterResourceResponse();
        response.setUrn(outcome.urn).setId(outcome.id).setObject(toStruct(outcome.outputs));
        response.setStable(false).setStablesList(outcome.stables);
        return response;
      }),
      registerResourceOutputs: this.wrap(async (req: resourcePb.RegisterResourceOutputsRequest) => {
        this.requireDeployment().registerOutputs(req.getUrn(), req.getOutputs()?.toJavaScript() ?? {});
        return new Empty();
      }),
      readResource: this.wrap(async (req: resourcePb.ReadResourceRequest) => {
        await this.holdIfFailed();
        const outcome = await this.requireDeployment().read({
          type: req.getType(),
          name: req.getName(),
          parent: req.getParent(),
          id: req.getId(),
          inputs: req.getProperties()?.toJavaScript() ?? {},
          dependencies: req.getDependenciesList(),
          additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
          providerRef: req.getProvider(),
        });
        return new resourcePb.ReadResourceResponse().setUrn(outcome.urn).setProperties(toStruct(outcome.outputs));
      }),
      signalAndWaitForShutdown: this.wrap(async () => new Empty()),
      getDeploymentInfo: this.deploymentInfoHandler(),
      existsResource: unimplemented("ExistsResource"),
      invoke: unimplemented("Invoke"),
      call: unimplemented("Call"),
      registerStackTransform: unimplemented("RegisterStackTransform"),
      registerStackInvokeTransform: unimplemented("RegisterStackInvokeTransform"),
      registerResourceHook: unimplemented("RegisterResourceHook"),
      registerErrorHook: unimplemented("RegisterErrorHook"),
      registerPackage: unimplemented("RegisterPackage"),
    };
  }

  /**
   * As the engine's resource monitor answers it (pulumi/pulumi#22595): the run's project, stack,
   * organization, config, secret config keys, dry-run flag and parallelism, and the features it
   * supports, which SDKs from 3.26x read instead of probing `SupportsFeature` one id at a time.
   */
  private deploymentInfoHandler(): grpc.handleUnaryCall<unknown, unknown> {
    const { DeploymentInfo, ResourceMonitorFeature } = newerProto;
    const info = this.info;
    if (!DeploymentInfo || !ResourceMonitorFeature || !info) return unimplemented("GetDeploymentInfo");
    const features = [...SUPPORTED_FEATURES.values()].map((name) => {
      const value = ResourceMonitorFeature[name];
      if (value === undefined)
        throw new Error(`the installed @pulumi/pulumi proto has no ResourceMonitorFeature ${name}`);
      return value;
    });
    return this.wrap(async () => {
      const response = new DeploymentInfo()
        .setProject(info.project)
        .setStack(info.stack)
        .setOrganization(info.organization)
        .setConfigsecretkeysList(info.configSecretKeys)
        .setDryrun(info.dryRun)
        .setParallel(info.parallel)
        .setSupportedfeaturesList(features);
      for (const [key, value] of Object.entries(info.config)) response.getConfigMap().set(key, value);
      return response;
    });
  }

  private engineHandlers(): grpc.UntypedServiceImplementation {
    let root = "";
    return {
      log: this.wrap(async (req: enginePb.LogRequest) => {
        const diagnostic: Diagnostic = { severity: SEVERITIES[req.getSeverity()] ?? "info", message: req.getMessage() };
        if (req.getUrn()) diagnostic.urn = req.getUrn();
        this.log(diagnostic, req.getEphemeral());
        return new Empty();
      }),
      getRootResource: this.wrap(async () => new enginePb.GetRootResourceResponse().setUrn(root)),
      setRootResource: this.wrap(async (req: enginePb.SetRootResourceRequest) => {
        root = req.getUrn();
        return new enginePb.SetRootResourceResponse();
      }),
      startDebugging: unimplemented("StartDebugging"),
      requirePulumiVersion: this.wrap(async () => new enginePb.RequirePulumiVersionResponse()),
    };
  }
}
