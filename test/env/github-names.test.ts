import { test } from "node:test";
import assert from "node:assert/strict";
import { validateCatalog } from "../../catalog/validate";
import { runProgramUnderMocks } from "../../infra/offline-engine";

const withSecrets = (secrets: Record<string, string>, variables: Record<string, string> = {}) => ({
  system: "shop",
  github: { repository: "acme/shop", secrets, variables },
});

test("an Actions secret named GITHUB_X is refused at validation, naming the key", () => {
  assert.throws(
    () => validateCatalog(withSecrets({ GITHUB_X: "grafana-deploy-token" })),
    (e: unknown) =>
      (e as Error).message ===
      "catalog: 1 problem\n  github.secrets.GITHUB_X: GitHub refuses Actions secret names starting with GITHUB_ (reserved for GitHub's own); rename GITHUB_X",
  );
});

test("plan refuses a GITHUB_ variable before registering anything", async () => {
  await assert.rejects(
    runProgramUnderMocks(withSecrets({}, { GITHUB_URL: "grafana-url" }), "prod"),
    /github\.variables\.GITHUB_URL: GitHub refuses Actions variable names starting with GITHUB_/,
  );
});

test("names that merely contain GITHUB are accepted", () => {
  const c = validateCatalog(withSecrets({ MY_GITHUB_TOKEN: "grafana-deploy-token" }));
  assert.deepEqual(Object.keys(c.github!.secrets), ["MY_GITHUB_TOKEN"]);
});
