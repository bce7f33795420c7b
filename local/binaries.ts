/**
 * Finding the native Prometheus binaries local mode runs. Debian names them
 * `prometheus-alertmanager` / `prometheus-blackbox-exporter`, upstream `alertmanager` /
 * `blackbox_exporter`; either is accepted. Missing ones are installed with apt-get when that
 * is possible without asking (Debian/Ubuntu as root); otherwise the exact command is printed.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync } from "node:fs";
import { delimiter, join } from "node:path";

export type Tool = "prometheus" | "alertmanager" | "blackbox" | "promtool" | "amtool";

/** Names each tool goes by, Debian's first. */
export const TOOL_NAMES: Record<Tool, string[]> = {
  prometheus: ["prometheus"],
  alertmanager: ["prometheus-alertmanager", "alertmanager"],
  blackbox: ["prometheus-blackbox-exporter", "blackbox_exporter"],
  promtool: ["promtool"],
  amtool: ["amtool"],
};

/** Debian package shipping each tool (promtool comes with prometheus, amtool with alertmanager). */
export const DEBIAN_PACKAGE: Record<Tool, string> = {
  prometheus: "prometheus",
  alertmanager: "prometheus-alertmanager",
  blackbox: "prometheus-blackbox-exporter",
  promtool: "prometheus",
  amtool: "prometheus-alertmanager",
};

/** Homebrew formula shipping each tool. */
export const BREW_FORMULA: Record<Tool, string> = {
  prometheus: "prometheus",
  alertmanager: "alertmanager",
  blackbox: "blackbox_exporter",
  promtool: "prometheus",
  amtool: "alertmanager",
};

/** The tools `start` cannot run without. */
export const REQUIRED_TOOLS: Tool[] = ["prometheus", "alertmanager", "blackbox"];

export type Binaries = Record<Tool, string | undefined>;

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Absolute path of the first of `names` found on `pathEnv`, or undefined. */
export function which(names: string[], pathEnv = process.env.PATH ?? ""): string | undefined {
  for (const dir of pathEnv.split(delimiter).filter(Boolean)) {
    for (const name of names) {
      const candidate = join(dir, name);
      if (executable(candidate)) return candidate;
    }
  }
  return undefined;
}

export function findBinaries(pathEnv = process.env.PATH ?? ""): Binaries {
  const out = {} as Binaries;
  for (const tool of Object.keys(TOOL_NAMES) as Tool[]) out[tool] = which(TOOL_NAMES[tool], pathEnv);
  return out;
}

export function missingTools(bins: Binaries, tools: Tool[] = REQUIRED_TOOLS): Tool[] {
  return tools.filter((t) => !bins[t]);
}

const unique = (xs: string[]) => [...new Set(xs)];

export interface Platform {
  os: NodeJS.Platform;
  /** Whether `/etc/debian_version` exists (Debian, Ubuntu and derivatives). */
  debian: boolean;
  root: boolean;
}

export function currentPlatform(): Platform {
  return { os: process.platform, debian: existsSync("/etc/debian_version"), root: process.getuid?.() === 0 };
}

/** The command that installs `missing` on `platform`, as a user would type it. */
export function installCommand(missing: Tool[], platform: Platform): string {
  if (platform.os === "darwin") return `brew install ${unique(missing.map((t) => BREW_FORMULA[t])).join(" ")}`;
  const pkgs = unique(missing.map((t) => DEBIAN_PACKAGE[t])).join(" ");
  if (platform.os === "linux" && platform.debian)
    return `${platform.root ? "" : "sudo "}apt-get update && ${platform.root ? "" : "sudo "}apt-get install -y ${pkgs}`;
  return `install Prometheus, Alertmanager and the blackbox exporter from https://prometheus.io/download/ (binaries ${missing.map((t) => TOOL_NAMES[t].at(-1)).join(", ")}) and put them on PATH`;
}

export class MissingBinariesError extends Error {}

/**
 * The binaries `tools` need, installing missing ones with apt-get on Debian/Ubuntu as root
 * (printing each command via `log`). Throws `MissingBinariesError` with the install command
 * for the platform when they cannot be installed here.
 */
export function ensureBinaries(
  log: (line: string) => void,
  tools: Tool[] = REQUIRED_TOOLS,
  platform = currentPlatform(),
  purpose = "local mode",
): Binaries {
  let bins = findBinaries();
  let missing = missingTools(bins, tools);
  if (missing.length === 0) return bins;
  const names = missing.map((t) => TOOL_NAMES[t].join(" or ")).join(", ");
  if (platform.os === "linux" && platform.debian && platform.root && which(["apt-get"])) {
    const pkgs = unique(missing.map((t) => DEBIAN_PACKAGE[t]));
    for (const argv of [
      ["apt-get", "update"],
      ["apt-get", "install", "-y", ...pkgs],
    ]) {
      log(`missing ${names}: running ${argv.join(" ")}`);
      const r = spawnSync(argv[0], argv.slice(1), {
        stdio: ["ignore", "inherit", "inherit"],
        env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
      });
      if (r.status !== 0)
        throw new MissingBinariesError(
          `${argv.join(" ")} failed (exit ${r.status ?? r.signal}); install ${pkgs.join(" ")} and retry`,
        );
    }
    bins = findBinaries();
    missing = missingTools(bins, tools);
    if (missing.length === 0) return bins;
  }
  throw new MissingBinariesError(
    `${purpose} needs ${names} on PATH; install with:\n  ${installCommand(missing, platform)}`,
  );
}
