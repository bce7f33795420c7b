/**
 * The `local` stack as plain data: pinned images, one container per component with the
 * rendered artifacts as uploaded files, and which catalog secrets each container reads.
 * Pure: the ComponentResource in `index.ts` only maps these to Docker resources.
 */
import type { Artifacts } from "../../artifacts";
import { referencedSecrets } from "../../local/work-dir";

/** Images with explicit tags; bump deliberately (a tag change is a reviewed diff). */
export const LOCAL_IMAGES = {
  prometheus: "prom/prometheus:v2.53.2",
  alertmanager: "prom/alertmanager:v0.27.0",
  blackbox: "prom/blackbox-exporter:v0.25.0",
  grafana: "grafana/grafana:11.3.1",
} as const;
export type LocalComponent = keyof typeof LOCAL_IMAGES;

/** The version of the pinned Grafana image, which the local dashboards are written for. */
export const LOCAL_GRAFANA_VERSION = LOCAL_IMAGES.grafana.split(":")[1].split(".").map(Number) as unknown as readonly [
  number,
  number,
  number,
];

/** Port each component listens on, inside the network and on 127.0.0.1 of the host. */
export const LOCAL_PORTS: Record<LocalComponent, number> = {
  prometheus: 9090,
  alertmanager: 9093,
  blackbox: 9115,
  grafana: 3000,
};

/** Where containers read catalog secrets (`RenderOptions.secretsDir`). */
export const CONTAINER_SECRETS_DIR = "/etc/ops-monitoring/secrets";

/** Uid of the Prometheus data source provisioned into the local Grafana. */
export const LOCAL_DATASOURCE_UID = "prometheus";

/** Render options of the container stack: components reach each other by network alias. */
export const CONTAINER_RENDER_OPTIONS = {
  profile: "local",
  alertmanagerAddress: `alertmanager:${LOCAL_PORTS.alertmanager}`,
  blackboxAddress: `blackbox:${LOCAL_PORTS.blackbox}`,
  secretsDir: CONTAINER_SECRETS_DIR,
} as const;

export interface ContainerSpec {
  component: LocalComponent;
  image: string;
  port: number;
  command: string[];
  /** Files with content, path in the container → text. */
  files: Record<string, string>;
  /** Catalog secret names uploaded to `CONTAINER_SECRETS_DIR/<name>`. */
  secrets: string[];
}

const under = (artifacts: Artifacts, prefix: string, target: string): Record<string, string> =>
  Object.fromEntries(
    Object.entries(artifacts)
      .filter(([p]) => p.startsWith(prefix))
      .map(([p, text]) => [`${target}/${p.slice(prefix.length)}`, text]),
  );

/** Grafana's data source provisioning file: the network's Prometheus, default, fixed uid. */
export function grafanaDatasourceFile(): string {
  return [
    "apiVersion: 1",
    "datasources:",
    "  - name: Prometheus",
    "    type: prometheus",
    `    uid: ${LOCAL_DATASOURCE_UID}`,
    "    access: proxy",
    `    url: http://prometheus:${LOCAL_PORTS.prometheus}`,
    "    isDefault: true",
    "    editable: false",
    "",
  ].join("\n");
}

/** The four containers of the local stack from artifacts rendered with `CONTAINER_RENDER_OPTIONS`. */
export function containerSpecs(artifacts: Artifacts): ContainerSpec[] {
  const secretsOf = (files: Record<string, string>) => referencedSecrets(files, CONTAINER_SECRETS_DIR);
  const prometheusFiles = under(artifacts, "prometheus/", "/etc/prometheus");
  const alertmanagerFiles = under(artifacts, "alertmanager/", "/etc/alertmanager");
  return [
    {
      component: "prometheus",
      image: LOCAL_IMAGES.prometheus,
      port: LOCAL_PORTS.prometheus,
      command: [
        "--config.file=/etc/prometheus/prometheus.yml",
        "--storage.tsdb.path=/prometheus",
        `--web.listen-address=:${LOCAL_PORTS.prometheus}`,
      ],
      files: prometheusFiles,
      secrets: secretsOf(prometheusFiles),
    },
    {
      component: "alertmanager",
      image: LOCAL_IMAGES.alertmanager,
      port: LOCAL_PORTS.alertmanager,
      command: [
        "--config.file=/etc/alertmanager/alertmanager.yml",
        "--storage.path=/alertmanager",
        "--cluster.listen-address=",
        `--web.listen-address=:${LOCAL_PORTS.alertmanager}`,
      ],
      files: alertmanagerFiles,
      secrets: secretsOf(alertmanagerFiles),
    },
    {
      component: "blackbox",
      image: LOCAL_IMAGES.blackbox,
      port: LOCAL_PORTS.blackbox,
      command: ["--config.file=/etc/blackbox_exporter/config.yml", `--web.listen-address=:${LOCAL_PORTS.blackbox}`],
      files: { "/etc/blackbox_exporter/config.yml": artifacts["blackbox/blackbox.yml"] },
      secrets: secretsOf({ config: artifacts["blackbox/blackbox.yml"] }),
    },
    {
      component: "grafana",
      image: LOCAL_IMAGES.grafana,
      port: LOCAL_PORTS.grafana,
      command: [],
      files: { "/etc/grafana/provisioning/datasources/prometheus.yml": grafanaDatasourceFile() },
      secrets: [],
    },
  ];
}
