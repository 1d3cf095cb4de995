import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/index.js";
import { call, clientFor } from "./client.js";

describe("Faults", () => {
  let sandbox: Sandbox;
  let api: ReturnType<typeof clientFor>;

  beforeAll(async () => {
    sandbox = await startSandbox({ token: "admin-token", timeScale: 1000, faultSeed: 7 });
    api = clientFor(sandbox.url, "admin-token");
  });
  afterEach(() => sandbox.control.setFaults([]));
  afterAll(() => sandbox.close());

  it("answers a chosen status a chosen number of times", async () => {
    sandbox.control.setFaults([{ kind: "status", status: 503, count: 2, path: "/persons" }]);
    const statuses = [];
    for (let index = 0; index < 3; index++)
      statuses.push((await api.post("/api/v2/persons", { name: `P${index}` })).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect((await api.get("/api/v2/persons")).body.data).toHaveLength(1);
    expect(sandbox.control.faults()[0]?.fired).toBe(2);
    expect(sandbox.control.metrics().faults["503"]).toBe(2);
  });

  it("fails about the chosen share of requests", async () => {
    sandbox.control.setFaults([{ kind: "status", status: 500, share: 0.3, method: "GET" }]);
    let failures = 0;
    for (let index = 0; index < 200; index++)
      if ((await api.get("/v1/users/me")).status === 500) failures++;
    expect(failures).toBeGreaterThan(30);
    expect(failures).toBeLessThan(90);
  });

  it("matches only the chosen method and path", async () => {
    sandbox.control.setFaults([{ kind: "status", status: 502, method: "POST", path: "/deals" }]);
    expect((await api.get("/api/v2/deals")).status).toBe(200);
    expect((await api.post("/api/v2/organizations", { name: "Acme" })).status).toBe(200);
    expect((await api.post("/api/v2/deals", { title: "D" })).status).toBe(502);
  });

  it("commits the write and then closes the connection", async () => {
    sandbox.control.setFaults([{ kind: "drop-after-commit", count: 1, path: "/organizations" }]);
    await expect(api.post("/api/v2/organizations", { name: "Lost answer Ltd" })).rejects.toThrow();
    const found = await api.get(
      "/api/v2/organizations/search?term=Lost%20answer%20Ltd&exact_match=true",
    );
    expect(found.body.data.items).toHaveLength(1);
  });

  it("hangs past the client's timeout", async () => {
    sandbox.control.setFaults([{ kind: "hang", count: 1 }]);
    const response = fetch(`${sandbox.url}/v1/users/me`, {
      headers: { "x-api-token": "admin-token" },
      signal: AbortSignal.timeout(200),
    });
    await expect(response).rejects.toThrow();
    expect((await api.get("/v1/users/me")).status).toBe(200);
  });

  it("answers slowly", async () => {
    sandbox.control.setFaults([{ kind: "slow", delayMs: 150, count: 1 }]);
    const started = Date.now();
    const answer = await api.get("/v1/users/me");
    expect(answer.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("is set over the control API", async () => {
    const set = await call(sandbox.url, "admin-token", "PUT", "/__sandbox/faults", {
      rules: [{ kind: "status", status: 500, count: 1 }],
    });
    expect(set.status).toBe(200);
    expect((await api.get("/v1/users/me")).status).toBe(500);
    const rejected = await call(sandbox.url, "admin-token", "PUT", "/__sandbox/faults", {
      rules: [{ kind: "status", status: 418 }],
    });
    expect(rejected.status).toBe(400);
    expect(rejected.body.error).toContain("500, 502 or 503");
  });
});
