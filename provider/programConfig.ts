// The stack config as the program sees it: the data sources and the preview check connect with it.
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE } from "./tokens";
import { captureConfig, type RawConfig } from "./resources/connection";

/** Read per call: the program may construct Config before or after setting it in tests. */
export function programConfig(): RawConfig {
  const config = new pulumi.Config(CONFIG_NAMESPACE);
  return captureConfig({ get: (fullKey) => config.get(fullKey.slice(fullKey.indexOf(":") + 1)) });
}
