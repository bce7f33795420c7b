/**
 * What the offline engine does with each registered resource, shared by the mocked Pulumi
 * engine (`offline-engine-worker.ts`) and the direct plan (`direct-plan.ts`): inputs in the form
 * the engine receives them (secrets as RPC secret values, pushed up to the top-level property as
 * the Pulumi runtime's `deserializeProperty` does), printed with secrets masked and keys sorted,
 * checked against the provider facts and for duplicate URNs; and the answers the mocked
 * providers give (ids, computed outputs, data sources).
 */
import { checkResource, type FactViolation } from "./provider-facts";
import { PLACEHOLDER_SECRET_PREFIX, SECRET_MARK, type RegisteredResource } from "./offline-engine-protocol";

/** How the Pulumi runtime marks a secret value on the wire (`@pulumi/pulumi/runtime/rpc` `specialSigKey`, `specialSecretSig`). */
export const RPC_SECRET = { key: "4dabf18193072939515e22adb298388d", sig: "1b47061264138c4ac30d75fd1eb44270" } as const;

export interface RpcSecret {
  [RPC_SECRET.key]: typeof RPC_SECRET.sig;
  value: unknown;
}

export function isRpcSecret(v: unknown): v is RpcSecret {
  return !!v && typeof v === "object" && (v as Record<string, unknown>)[RPC_SECRET.key] === RPC_SECRET.sig;
}

export function rpcSecret(value: unknown): RpcSecret {
  return { [RPC_SECRET.key]: RPC_SECRET.sig, value };
}

/**
 * One input property's value holding `rpcSecret`s anywhere → what the engine receives:
 * `undefined` properties dropped, and an array or object with a secret inside becomes one secret
 * (the runtime cannot mark part of a property secret). Returns `value` itself when that changes
 * nothing (most inputs: no secret, nothing undefined).
 */
export function asEngineReceives(value: unknown): unknown {
  if (isRpcSecret(value)) {
    const inner = asEngineReceives(value.value);
    return rpcSecret(isRpcSecret(inner) ? inner.value : inner);
  }
  if (!value || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    let secret = false;
    for (let i = 0; i < value.length; i++) {
      const v = asEngineReceives(value[i]);
      if (isRpcSecret(v)) secret = true;
      if (v !== value[i]) (out ??= value.slice(0, i)).push(v);
      else out?.push(v);
    }
    return secret ? rpcSecret((out ?? value).map(unwrap)) : (out ?? value);
  }
  const obj = value as Record<string, unknown>;
  // Most objects come out as they are: checked in one pass without listing the keys (for-in
  // sees exactly Object.keys of a plain object, in the same order); the first property that
  // changes is computed once.
  let first = -1;
  let firstValue: unknown;
  if (Object.getPrototypeOf(obj) === Object.prototype) {
    let i = 0;
    let asIs = true;
    for (const k in obj) {
      const raw = obj[k];
      const v = raw === undefined || typeof raw !== "object" || raw === null ? raw : asEngineReceives(raw);
      if (v !== raw || raw === undefined) {
        [first, firstValue, asIs] = [i, v, false];
        break;
      }
      i++;
    }
    if (asIs) return obj;
  }
  let out: Record<string, unknown> | undefined;
  let secret = false;
  const keys = Object.keys(obj);
  for (let i = 0; i < keys.length; i++) {
    const raw = obj[keys[i]];
    const v = i === first ? firstValue : raw === undefined ? undefined : asEngineReceives(raw);
    if (isRpcSecret(v)) secret = true;
    if (v !== raw || raw === undefined) out ??= Object.fromEntries(keys.slice(0, i).map((k) => [k, obj[k]]));
    if (out && v !== undefined) out[keys[i]] = v;
  }
  const result = out ?? obj;
  return secret ? rpcSecret(Object.fromEntries(Object.entries(result).map(([k, v]) => [k, unwrap(v)]))) : result;
}

const unwrap = (v: unknown) => (isRpcSecret(v) ? v.value : v);

/** Engine-side inputs → printable: secrets masked, keys sorted (`value` itself when that changes nothing). */
export function printable(value: unknown): unknown {
  if (!value || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const p = printable(value[i]);
      if (p !== value[i]) (out ??= value.slice(0, i)).push(p);
      else out?.push(p);
    }
    return out ?? value;
  }
  if (isRpcSecret(value)) return SECRET_MARK;
  const obj = value as Record<string, unknown>;
  // Most inputs print as they are: checked in one pass without listing the keys (for-in sees
  // exactly Object.keys of a plain object, in the same order).
  if (Object.getPrototypeOf(obj) === Object.prototype) {
    let previous: string | undefined;
    for (const k in obj) {
      if (previous !== undefined && previous > k) return sortedCopy(obj);
      const p = printable(obj[k]);
      if (p !== obj[k]) return sortedCopy(obj, k, p);
      previous = k;
    }
    return value;
  }
  const keys = Object.keys(obj);
  for (let i = 1; i < keys.length; i++) if (keys[i - 1] > keys[i]) return sortedCopy(obj);
  for (const k of keys) {
    const p = printable(obj[k]);
    if (p !== obj[k]) return sortedCopy(obj, k, p);
  }
  return value;
}

/** `obj` printed, keys sorted; `printed` is the printable value of key `known`, already computed. */
function sortedCopy(obj: Record<string, unknown>, known?: string, printed?: unknown): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(obj)
      .sort()
      .map((k) => [k, k === known ? printed : printable(obj[k])]),
  );
}

/**
 * Engine-side inputs with secrets unwrapped, for the provider-facts check (which reports fields,
 * never values). Secrets are only ever top-level properties (the engine pushes them up).
 */
export function plain(inputs: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(inputs);
  if (!keys.some((k) => isRpcSecret(inputs[k]))) return inputs;
  return Object.fromEntries(keys.map((k) => [k, unwrap(inputs[k])]));
}

/** The engine refuses a second resource with one URN (type and name, under the same parent type). */
const DUPLICATE_URN = {
  says: "is registered twice (one type and name make one URN)",
  source: { repo: "pulumi/pulumi", ref: "", path: "pkg/diag/errors.go", at: "GetDuplicateResourceURNError" },
};

/** Every resource of one run: what it registered, in print form, and the provider facts it broke. */
export class Registrations {
  readonly resources: RegisteredResource[] = [];
  readonly violations: FactViolation[] = [];
  private readonly seen = new Set<string>();

  /** Records a resource; `inputs` as the engine receives them. */
  add(type: string, name: string, inputs: Record<string, unknown>): void {
    this.resources.push({
      type,
      name,
      inputs: printable(inputs) as Record<string, unknown>,
      secretInputs: Object.keys(inputs)
        .filter((k) => isRpcSecret(inputs[k]))
        .sort(),
    });
    this.violations.push(...checkResource(type, name, plain(inputs)));
    const key = JSON.stringify([type, name]);
    if (this.seen.has(key)) this.violations.push({ type, name, field: "", ...DUPLICATE_URN });
    this.seen.add(key);
  }

  /** Sorted by type, then name. */
  sorted(): RegisteredResource[] {
    return [...this.resources].sort((a, b) =>
      a.type < b.type ? -1 : a.type > b.type ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
  }
}

/** Outputs a mocked resource reports that are not inputs: what the real provider computes. */
export function computedState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  switch (type) {
    case "grafana:oss/dashboard:Dashboard":
      return { uid: (JSON.parse(String(inputs.configJson)) as { uid: string }).uid };
    case "grafana:oss/serviceAccountToken:ServiceAccountToken":
      return { key: `${PLACEHOLDER_SECRET_PREFIX}deploy-token` };
    case "docker:index/remoteImage:RemoteImage":
      return { imageId: `sha256:offline-${name}` };
    default:
      return {};
  }
}

/** A mocked resource's id: its name. */
export const mockId = (name: string): string => name;

/** What a mocked data source (`getProbes`, `getProject`, ...) answers. */
export function callResult(
  token: string,
  inputs: Record<string, unknown>,
  probes: Record<string, number>,
): Record<string, unknown> {
  switch (token) {
    case "grafana:syntheticMonitoring/getProbes:getProbes":
      return { id: "probes", filterDeprecated: true, probes };
    case "vercel:index/getProject:getProject":
      return { id: `prj_mock${String(inputs.name).replace(/[^A-Za-z0-9]/g, "")}`, ...inputs };
    default:
      return { id: token, ...inputs };
  }
}
