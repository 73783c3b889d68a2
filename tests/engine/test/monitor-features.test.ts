// What the stand-in's resource monitor tells the SDK about itself, over gRPC as the SDK asks it:
// `GetDeploymentInfo` (SDKs from 3.26x ask it first) and `SupportsFeature` (the fallback, and what
// older SDKs ask) must agree, and claim exactly what the stand-in handles.
import assert from "node:assert/strict";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import * as resourcePb from "@pulumi/pulumi/proto/resource_pb";
import * as resourceGrpc from "@pulumi/pulumi/proto/resource_grpc_pb";
import { MonitorServer, type DeploymentInfoFields } from "../monitor.js";

/** The ids the SDK probes with SupportsFeature when GetDeploymentInfo is not served (settings.ts). */
const LEGACY_IDS = [
  "secrets",
  "resourceReferences",
  "outputValues",
  "deletedWith",
  "replaceWith",
  "aliasSpecs",
  "transforms",
  "invokeTransforms",
  "parameterization",
  "resourceHooks",
  "errorHooks",
];

const INFO: DeploymentInfoFields = {
  project: "items",
  stack: "dev",
  organization: "acme",
  dryRun: true,
  parallel: 8,
  config: { "items:endpoint": "http://127.0.0.1:1", "items:token": "t" },
  configSecretKeys: ["items:token"],
};

type Unary<Req, Res> = (request: Req, callback: (err: grpc.ServiceError | null, response?: Res) => void) => unknown;
function ask<Req, Res>(method: Unary<Req, Res>, request: Req): Promise<Res> {
  return new Promise((resolve, reject) => method(request, (err, response) => (err ? reject(err) : resolve(response!))));
}

/** The DeploymentInfo surface this test reads; absent from SDKs older than the RPC. */
interface DeploymentInfoReply {
  getProject(): string;
  getStack(): string;
  getOrganization(): string;
  getDryrun(): boolean;
  getParallel(): number;
  getConfigMap(): { toObject(): [string, string][] };
  getConfigsecretkeysList(): string[];
  getSupportedfeaturesList(): number[];
}

describe("engine stand-in: the monitor's feature answers", () => {
  let monitor: MonitorServer;
  let client: resourceGrpc.ResourceMonitorClient;

  before(async () => {
    monitor = new MonitorServer(undefined, () => undefined, INFO);
    await monitor.start();
    client = new resourceGrpc.ResourceMonitorClient(monitor.address, grpc.credentials.createInsecure());
  });
  after(() => {
    client.close();
    monitor.shutdown();
  });

  it("SupportsFeature claims secrets and deletedWith only", async () => {
    const claimed: string[] = [];
    for (const id of LEGACY_IDS) {
      const response = await ask<resourcePb.SupportsFeatureRequest, resourcePb.SupportsFeatureResponse>(
        (request, callback) => client.supportsFeature(request, callback),
        new resourcePb.SupportsFeatureRequest().setId(id),
      );
      if (response.getHassupport()) claimed.push(id);
    }
    assert.deepEqual(claimed, ["secrets", "deletedWith"]);
  });

  it("GetDeploymentInfo reports the run and the same features, where the installed SDK has the RPC", async () => {
    const features = (resourcePb as unknown as { ResourceMonitorFeature?: Record<string, number> })
      .ResourceMonitorFeature;
    const getDeploymentInfo = (client as unknown as { getDeploymentInfo?: Unary<Empty, DeploymentInfoReply> })
      .getDeploymentInfo;
    if (getDeploymentInfo === undefined || features === undefined) {
      // An SDK without the RPC cannot ask it (3.229): the fallback above is all it sees.
      assert.equal("getDeploymentInfo" in resourceGrpc.ResourceMonitorService, false);
      return;
    }
    const info = await ask(getDeploymentInfo.bind(client), new Empty());
    assert.deepEqual(
      {
        project: info.getProject(),
        stack: info.getStack(),
        organization: info.getOrganization(),
        dryRun: info.getDryrun(),
        parallel: info.getParallel(),
        config: Object.fromEntries(info.getConfigMap().toObject()),
        configSecretKeys: info.getConfigsecretkeysList(),
      },
      INFO,
    );
    assert.deepEqual(info.getSupportedfeaturesList(), [
      features["RESOURCE_MONITOR_FEATURE_SECRETS"],
      features["RESOURCE_MONITOR_FEATURE_DELETED_WITH"],
    ]);
  });
});
