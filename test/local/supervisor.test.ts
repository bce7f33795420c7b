import { strict as assert } from "node:assert";
import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { renderArtifacts } from "../../artifacts";
import { validateCatalog } from "../../catalog/validate";
import { Component } from "../../local/component";
import { loadDemoCatalog, substituteDemoUrls } from "../../local/demo-catalog";
import { catalogBounds, formatTerms } from "../../alerts/detection-bounds";
import { componentSpecs, freePorts } from "../../local/supervisor";
import { createWorkDir, referencedSecrets, writeSecrets } from "../../local/work-dir";

const secretCatalog = validateCatalog({
  system: "acme",
  services: [{ name: "web", kind: "frontend", health: { url: "http://127.0.0.1:1/health" } }],
  alerting: {
    routes: { P0: ["slack"] },
    contacts: {
      slack: { type: "slack", url: { secret: "slackWebhookUrl" } },
      pd: { type: "pagerduty", integration_key: { secret: "pagerdutyKey" } },
    },
  },
});

describe("local work dir", () => {
  it("writes only the secrets the rendered configs read, from the environment, into a private dir", () => {
    const w = createWorkDir();
    try {
      const artifacts = renderArtifacts(secretCatalog, { profile: "local", secretsDir: w.secrets });
      const names = referencedSecrets(artifacts, w.secrets);
      assert.deepEqual(names, ["pagerdutyKey", "slackWebhookUrl"]);
      const result = writeSecrets(names, w.secrets, { SLACK_WEBHOOK_URL: "https://hooks.example/s3cr3t" });
      assert.deepEqual(result, {
        written: ["slackWebhookUrl"],
        missing: [{ name: "pagerdutyKey", env: "PAGERDUTY_KEY" }],
      });
      assert.equal(statSync(w.secrets).mode & 0o777, 0o700);
      assert.equal(statSync(join(w.secrets, "slackWebhookUrl")).mode & 0o777, 0o600);
      assert.equal(readFileSync(join(w.secrets, "slackWebhookUrl"), "utf8"), "https://hooks.example/s3cr3t");
      for (const text of Object.values(artifacts)) assert.ok(!text.includes("s3cr3t"));
    } finally {
      rmSync(w.root, { recursive: true, force: true });
    }
  });
});

describe("demo catalog", () => {
  it("fills in the demo app and sink URLs and nothing else", () => {
    const text = substituteDemoUrls("a: ${DEMO_APP}/x\nb: ${LOCAL_SINK}hook\nc: ${OTHER}", {
      demoApp: "http://127.0.0.1:5/",
      sink: "http://127.0.0.1:6",
    });
    assert.equal(text, "a: http://127.0.0.1:5/x\nb: http://127.0.0.1:6/hook\nc: ${OTHER}");
  });

  it("validates, and its probe alert reaches a notification within 24s under the local profile", () => {
    const catalog = loadDemoCatalog({ demoApp: "http://127.0.0.1:5", sink: "http://127.0.0.1:6/" });
    assert.equal(catalog.system, "demo");
    assert.deepEqual(catalog.services.map((s) => s.kind).sort(), ["api", "database", "frontend", "job", "llm"]);
    const artifacts = renderArtifacts(catalog, { profile: "local", sinkUrl: "http://127.0.0.1:6/" });
    const bound = catalogBounds(catalog, "local").find((b) => b.id === "web/probe")!;
    assert.equal(
      formatTerms(bound),
      "probe every 5s + probe timeout 2s + crossing (first sample of the incident) 0s + evaluation 5s + for 10s + group_wait 2s = 24s",
    );
    // The same intervals as the rendered configs run them.
    assert.match(artifacts["prometheus/prometheus.yml"], /job_name: web-health\n(.*\n)*?\s+scrape_interval: 5s/);
    assert.match(artifacts["alertmanager/alertmanager.yml"], /group_wait: 2s/);
  });
});

describe("components", () => {
  it("run each binary on loopback with its own port, data dir and clustering off", async () => {
    const ports = await freePorts(3);
    assert.equal(new Set(ports).size, 3);
    const w = { root: "/w", config: "/w/config", secrets: "/w/secrets", data: "/w/data", logs: "/w/logs" };
    const specs = componentSpecs(
      w,
      { prometheus: "prometheus", alertmanager: "am", blackbox: "bb" },
      { prometheus: 1, alertmanager: 2, blackbox: 3 },
    );
    const am = specs.find((s) => s.name === "alertmanager")!;
    assert.deepEqual(am.args, [
      "--config.file=/w/config/alertmanager/alertmanager.yml",
      "--storage.path=/w/data/alertmanager",
      "--web.listen-address=127.0.0.1:2",
      "--cluster.listen-address=",
    ]);
    const prom = specs.find((s) => s.name === "prometheus")!;
    assert.ok(prom.args.includes("--storage.tsdb.path=/w/data/prometheus"));
    assert.equal(prom.readyUrl, "http://127.0.0.1:1/-/ready");
    assert.ok(specs.every((s) => s.logFile.startsWith("/w/logs/")));
    const wrapped = componentSpecs(
      w,
      { prometheus: "prometheus", alertmanager: "am", blackbox: "bb", setpriv: "/usr/bin/setpriv" },
      { prometheus: 1, alertmanager: 2, blackbox: 3 },
    );
    assert.deepEqual(
      wrapped.map((s) => [s.command, ...s.args.slice(0, 4)]).find((a) => a.includes("am")),
      ["/usr/bin/setpriv", "--pdeathsig", "TERM", "--", "am"],
    );
  });

  it("restart a crashed process a bounded number of times, then report it with its log", async () => {
    const w = createWorkDir();
    try {
      const logs: string[] = [];
      const gaveUp = new Promise<Error>((resolve) => {
        const c = new Component(
          {
            name: "flaky",
            command: "sh",
            args: ["-c", "echo boom; exit 3"],
            readyUrl: "http://127.0.0.1:1/",
            logFile: join(w.logs, "flaky.log"),
          },
          { log: (l) => logs.push(l), supervision: { maxRestarts: 2 }, onGiveUp: resolve },
        );
        c.start();
      });
      const error = await gaveUp;
      assert.equal(logs.length, 2);
      assert.match(logs[0], /flaky stopped \(exit code 3\); restarting in 500ms \(1\/2\)/);
      assert.match(
        error.message,
        /flaky stopped \(exit code 3\) after 2 restarts in a row; log .*flaky\.log:\nboom\nboom\nboom/,
      );
    } finally {
      rmSync(w.root, { recursive: true, force: true });
    }
  });

  it("stop a process group that ignores SIGTERM with SIGKILL after the grace period", async () => {
    const w = createWorkDir();
    try {
      const c = new Component(
        {
          name: "stubborn",
          command: "sh",
          args: ["-c", "trap '' TERM; sleep 30 & wait; sleep 30"],
          readyUrl: "http://127.0.0.1:1/",
          logFile: join(w.logs, "s.log"),
        },
        { log: () => {}, onGiveUp: () => assert.fail("not a crash") },
      );
      c.start();
      const pid = c.pid!;
      await new Promise((r) => setTimeout(r, 200));
      await c.stop(300);
      assert.equal(c.pid, undefined);
      assert.ok(!existsSync(`/proc/${pid}`) || readFileSync(`/proc/${pid}/stat`, "utf8").split(" ")[2] === "Z");
    } finally {
      rmSync(w.root, { recursive: true, force: true });
    }
  });
});
