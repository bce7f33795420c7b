/**
 * Where `ack` and `unack` send their requests, and with which credentials.
 *
 * - `--stack prod` (any stack but `local`): Grafana's Alertmanager-compatible API at the
 *   catalog's `grafana.url` + `/api/alertmanager/grafana`, with `GRAFANA_TOKEN` (a service
 *   account token, Editor role) or `GRAFANA_USER` + `GRAFANA_PASSWORD`.
 * - else `--alertmanager URL`, else `ALERTMANAGER_URL`, with `ALERTMANAGER_TOKEN` or
 *   `ALERTMANAGER_USER` + `ALERTMANAGER_PASSWORD`, or the user info of `ALERTMANAGER_URL`;
 * - else the one `start` running on this machine, else http://127.0.0.1:9093 (the `local`
 *   Pulumi stack's port); these get no credentials.
 *
 * Credentials come only from the environment and are never printed.
 */
import { existsSync } from "node:fs";
import { parseDuration } from "../catalog/units";
import { runningStacks } from "../local/running";
import { stringFlag, UsageError, type Args } from "./args";
import { authorizationFromEnv, displayUrl, HttpError, splitUserInfo, type Endpoint } from "./http";

export const DEFAULT_ALERTMANAGER = "http://127.0.0.1:9093";
/** Path of Grafana's own Alertmanager under the Grafana URL. */
export const GRAFANA_ALERTMANAGER_PATH = "/api/alertmanager/grafana";
/** How long one request of `ack`/`unack` may take (`--timeout`). */
export const DEFAULT_TIMEOUT = "10s";
const MAX_TIMEOUT_MS = 5 * 60_000;

export interface Target {
  /** Its `name` says where the URL came from. */
  endpoint: Endpoint;
  /** Grafana's Alertmanager (alertname = rule title) rather than a Prometheus one. */
  grafana: boolean;
}

function timeoutMs(args: Args): number {
  const text = stringFlag(args, "timeout", DEFAULT_TIMEOUT);
  const ms = parseDuration(text);
  if (!ms || ms > MAX_TIMEOUT_MS) throw new UsageError(`--timeout "${text}" is not a duration between 1ms and 5m`);
  return ms;
}

/** `authorizationFromEnv` with its problems as usage errors (exit 2). */
function envAuthorization(env: NodeJS.ProcessEnv, prefix: string): string | undefined {
  try {
    return authorizationFromEnv(env, prefix);
  } catch (e) {
    if (e instanceof HttpError) throw new UsageError(e.message);
    throw e;
  }
}

/** The Grafana Alertmanager of `grafanaUrl` (the catalog's `grafana.url`). */
export function grafanaTarget(args: Args, grafanaUrl: string, env: NodeJS.ProcessEnv = process.env): Target {
  const authorization = envAuthorization(env, "GRAFANA");
  if (!authorization)
    throw new UsageError(
      "set GRAFANA_TOKEN to a Grafana service account token (Editor role), or GRAFANA_USER + GRAFANA_PASSWORD",
    );
  const url = `${grafanaUrl.replace(/\/+$/, "")}${GRAFANA_ALERTMANAGER_PATH}`;
  return {
    endpoint: { url, authorization, timeoutMs: timeoutMs(args), name: `Grafana at ${displayUrl(url)} (grafana.url)` },
    grafana: true,
  };
}

/** A Prometheus Alertmanager: `--alertmanager`, `ALERTMANAGER_URL`, the running `start`, or the default. */
export function alertmanagerTarget(args: Args, env: NodeJS.ProcessEnv = process.env): Target {
  const timeout = timeoutMs(args);
  const target = (url: string, from: string, authorization?: string): Target => ({
    endpoint: { url, authorization, timeoutMs: timeout, name: `Alertmanager at ${displayUrl(url)} (${from})` },
    grafana: false,
  });
  const configured = (raw: string, from: string): Target => {
    let split: ReturnType<typeof splitUserInfo>;
    try {
      split = splitUserInfo(raw);
    } catch (e) {
      throw new UsageError(`${from}: ${(e as Error).message}`);
    }
    if (split.authorization && from === "--alertmanager")
      throw new UsageError(
        "--alertmanager must not carry credentials (they would show in the process list): use ALERTMANAGER_TOKEN, or ALERTMANAGER_USER + ALERTMANAGER_PASSWORD",
      );
    const fromEnv = envAuthorization(env, "ALERTMANAGER");
    if (split.authorization && fromEnv)
      throw new UsageError(
        "ALERTMANAGER_URL carries credentials and ALERTMANAGER_TOKEN/USER/PASSWORD are set too: use one",
      );
    return target(split.url, from, split.authorization ?? fromEnv);
  };
  const flag = args.flags.alertmanager;
  if (flag !== undefined) return configured(stringFlag(args, "alertmanager"), "--alertmanager");
  if (env.ALERTMANAGER_URL) return configured(env.ALERTMANAGER_URL, "ALERTMANAGER_URL");
  const running = runningStacks();
  if (running.length > 1) {
    throw new UsageError(
      `${running.length} local stacks are running (${running.map((r) => `pid ${r.pid}: ${r.alertmanager}`).join(", ")}); pass --alertmanager URL`,
    );
  }
  if (running.length === 1) return target(running[0].alertmanager, `the local stack of pid ${running[0].pid}`);
  return target(DEFAULT_ALERTMANAGER, "default");
}

/** Whether the command targets Grafana: `--stack prod`, or another stack with a `Pulumi.<stack>.yaml`, but not `local`. */
export function targetsGrafana(args: Args): boolean {
  if (args.flags.stack === undefined) return false;
  const stack = stringFlag(args, "stack");
  if (args.flags.alertmanager !== undefined)
    throw new UsageError("--stack and --alertmanager name two places: give one");
  if (stack !== "local" && stack !== "prod" && !existsSync(`Pulumi.${stack}.yaml`))
    throw new UsageError(
      `--stack ${JSON.stringify(stack)}: no such stack (local, prod, or one with a Pulumi.<stack>.yaml)`,
    );
  return stack !== "local";
}
