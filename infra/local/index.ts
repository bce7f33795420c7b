/**
 * The `local` stack: Prometheus, Alertmanager, the blackbox exporter and Grafana as Docker
 * containers on one network, configured with the catalog's rendered artifacts (uploaded as
 * file content), and the local Grafana provisioned through the Grafana provider with the same
 * folder and dashboards as production. Alert rules are evaluated by the Prometheus container.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as grafana from "@pulumiverse/grafana";
import { buildDashboards, withDatasource, type DashboardDoc } from "../../dashboards";
import { folderUid, resourceName, STACK_OUTPUT } from "../../conventions";
import { PROJECT } from "../config";
import { dashboardForGrafana } from "../grafana/dashboard-versions";
import { GrafanaDashboards } from "../grafana/dashboards";
import type { StackContext, StackOutputs } from "../stack";
import { secretRef } from "../secrets";
import {
  LOCAL_DATASOURCE_UID,
  LOCAL_GRAFANA_VERSION,
  CONTAINER_RENDER_OPTIONS,
  CONTAINER_SECRETS_DIR,
  containerSpecs,
  LOCAL_PORTS,
  type ContainerSpec,
} from "./specs";

/** Optional secret stack config: the local Grafana's admin password (default Grafana's own `admin`). */
export const GRAFANA_ADMIN_PASSWORD_KEY = "localGrafanaAdminPassword";
const GRAFANA_ADMIN_USER = "admin";

export interface LocalMonitoringArgs {
  system: string;
  containers: ContainerSpec[];
  folder: { uid: string; title: string };
  dashboards: DashboardDoc[];
  grafanaAdminPassword: pulumi.Output<string>;
}

export class LocalMonitoring extends pulumi.ComponentResource {
  readonly grafanaUrl: string;
  /** Containers by component (`prometheus`, `alertmanager`, `blackbox`, `grafana`). */
  readonly containers: Record<string, docker.Container> = {};
  readonly folder: grafana.oss.Folder;
  readonly dashboards: GrafanaDashboards;

  constructor(name: string, args: LocalMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ops-monitoring:index:LocalMonitoring", name, {}, opts);
    const { system } = args;
    const network = new docker.Network(
      resourceName(system, "network"),
      { name: resourceName(PROJECT, system) },
      { parent: this },
    );
    for (const spec of args.containers) {
      const image = new docker.RemoteImage(
        resourceName(system, spec.component, "image"),
        { name: spec.image, keepLocally: true },
        { parent: this },
      );
      const uploads: docker.types.input.ContainerUpload[] = [
        ...Object.entries(spec.files).map(([file, content]) => ({ file, content })),
        ...spec.secrets.map((secret) => ({
          file: `${CONTAINER_SECRETS_DIR}/${secret}`,
          content: secretRef(secret),
          permissions: "0444",
        })),
      ];
      const grafanaEnvs =
        spec.component === "grafana"
          ? {
              envs: pulumi.secret(
                args.grafanaAdminPassword.apply((p) => [
                  `GF_SECURITY_ADMIN_USER=${GRAFANA_ADMIN_USER}`,
                  `GF_SECURITY_ADMIN_PASSWORD=${p}`,
                ]),
              ),
            }
          : {};
      this.containers[spec.component] = new docker.Container(
        resourceName(system, spec.component),
        {
          name: resourceName(PROJECT, system, spec.component),
          image: image.imageId,
          ...(spec.command.length ? { command: spec.command } : {}),
          ...grafanaEnvs,
          networksAdvanced: [{ name: network.name, aliases: [spec.component] }],
          ports: [{ internal: spec.port, external: spec.port, ip: "127.0.0.1" }],
          uploads,
          restart: "unless-stopped",
          ...(spec.component === "grafana"
            ? {
                healthcheck: {
                  tests: ["CMD", "wget", "-q", "-O", "/dev/null", `http://localhost:${spec.port}/api/health`],
                  interval: "2s",
                  retries: 30,
                },
                wait: true,
                waitTimeout: 120,
              }
            : {}),
        },
        { parent: this },
      );
    }
    this.grafanaUrl = `http://127.0.0.1:${LOCAL_PORTS.grafana}`;
    const provider = new grafana.Provider(
      resourceName(system, "local-grafana"),
      {
        url: this.grafanaUrl,
        auth: pulumi.secret(args.grafanaAdminPassword.apply((p) => `${GRAFANA_ADMIN_USER}:${p}`)),
      },
      { parent: this, dependsOn: this.containers.grafana ? [this.containers.grafana] : [] },
    );
    this.folder = new grafana.oss.Folder(resourceName(system, "folder"), args.folder, { parent: this, provider });
    this.dashboards = new GrafanaDashboards(
      resourceName(system, "dashboards"),
      { system, folderUid: this.folder.uid, docs: args.dashboards },
      { parent: this, providers: [provider] },
    );
    this.registerOutputs({
      grafanaUrl: this.grafanaUrl,
      folderUid: this.folder.uid,
      dashboardUids: this.dashboards.uids,
    });
  }
}

/** Registers the `local` stack; outputs `grafana-url`, `grafana-folder-uid`, `grafana-dashboard-uids`. */
export function provisionLocal(ctx: StackContext): StackOutputs {
  const { catalog } = ctx;
  const password = new pulumi.Config(PROJECT).getSecret(GRAFANA_ADMIN_PASSWORD_KEY) ?? pulumi.secret("admin");
  const local = new LocalMonitoring(catalog.system, {
    system: catalog.system,
    containers: containerSpecs(ctx.artifacts(CONTAINER_RENDER_OPTIONS)),
    folder: { uid: folderUid(catalog.system), title: catalog.folderTitle },
    dashboards: buildDashboards(catalog).map((d) =>
      dashboardForGrafana(withDatasource(d, LOCAL_DATASOURCE_UID), LOCAL_GRAFANA_VERSION),
    ),
    grafanaAdminPassword: password,
  });
  return {
    [STACK_OUTPUT.grafanaUrl]: pulumi.output(local.grafanaUrl),
    [STACK_OUTPUT.grafanaFolderUid]: local.folder.uid,
    [STACK_OUTPUT.grafanaDashboardUids]: pulumi.output(local.dashboards.uids),
  };
}
