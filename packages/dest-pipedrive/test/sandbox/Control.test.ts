import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, type SerializedState, startSandbox } from "../../src/sandbox/index.js";
import { call, clientFor } from "./client.js";

describe("SandboxControl", () => {
  let sandbox: Sandbox;
  let api: ReturnType<typeof clientFor>;
  const control = (method: string, path: string, body?: unknown) =>
    call(sandbox.url, undefined, method, `/__sandbox${path}`, body);

  beforeAll(async () => {
    sandbox = await startSandbox({
      token: "admin-token",
      timeScale: 1000,
      users: [{ name: "Rep", email: "rep@example.test" }],
    });
    api = clientFor(sandbox.url, "admin-token");
  });
  afterAll(() => sandbox.close());

  describe("seed", () => {
    it("creates pre-existing records without token costs", async () => {
      const answer = await control("POST", "/seed", {
        organizations: [{ name: "Existing Ltd" }],
        persons: [{ name: "Existing Person", emails: [{ value: "old@example.test" }] }],
        users: [{ name: "Seeded", email: "seeded@example.test", token: "seeded-token" }],
      });
      expect(answer.status).toBe(200);
      expect(answer.body.data.organizations[0].name).toBe("Existing Ltd");
      expect(answer.body.data.users[0].token).toBe("seeded-token");
      expect((await call(sandbox.url, "seeded-token", "GET", "/v1/users/me")).status).toBe(200);
      expect(sandbox.control.rateLimits().tokensUsedToday).toBe(2);
    });

    it("reports which record failed", async () => {
      const answer = await control("POST", "/seed", { persons: [{ name: "Ok" }, { name: 5 }] });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toContain("Seeding persons[1] failed");
    });
  });

  describe("compare", () => {
    it("lists added, changed and removed records", async () => {
      const before = (await control("GET", "/snapshot")).body.data as SerializedState;
      const created = (await api.post("/api/v2/organizations", { name: "New Org" })).body.data;
      await api.patch("/api/v2/persons/1", { name: "Renamed Person" });
      const labels = (await api.get("/v1/leadLabels")).body.data;
      await api.delete(`/v1/leadLabels/${labels[0].id}`);

      const diff = (await control("POST", "/compare", { before })).body.data;
      expect(diff.organizations.added).toEqual([created.id]);
      expect(diff.persons.changed).toEqual([1]);
      expect(diff.leadLabels.removed).toEqual([labels[0].id]);
      expect(diff.deals).toEqual({ added: [], removed: [], changed: [] });
    });
  });

  describe("metrics", () => {
    it("counts requests and tokens per endpoint", async () => {
      await control("DELETE", "/metrics");
      await api.get("/api/v2/organizations");
      await api.get("/api/v2/organizations");
      await call(sandbox.url, "bad-token", "GET", "/api/v2/organizations");
      const metrics = (await control("GET", "/metrics")).body.data;
      const endpoint = metrics.endpoints.find(
        (entry: { template: string; method: string }) =>
          entry.template === "/organizations" && entry.method === "GET",
      );
      expect(endpoint.requests).toBe(3);
      expect(endpoint.tokens).toBe(20);
      expect(endpoint.statuses).toEqual({ "200": 2, "401": 1 });
      expect(metrics.unauthorized).toBe(1);
      expect(metrics.rateLimited).toBe(0);
    });
  });

  describe("rate limits", () => {
    it("sets and resets the day's usage", async () => {
      const set = await control("PATCH", "/rate-limits", { tokensUsedToday: 59_999 });
      expect(set.body.data.tokensUsedToday).toBe(59_999);
      expect((await api.get("/api/v2/organizations")).status).toBe(429);
      await control("DELETE", "/rate-limits");
      expect((await api.get("/api/v2/organizations")).status).toBe(200);
    });
  });

  describe("users", () => {
    it("lists tokens and changes permissions", async () => {
      const users = (await control("GET", "/users")).body.data;
      expect(users[0]).toMatchObject({
        id: 1,
        isAdmin: true,
        canDeleteLeads: true,
        token: "admin-token",
      });
      const changed = await control("PATCH", "/users/1", { canDeleteLeads: false });
      expect(changed.body.data.canDeleteLeads).toBe(false);
      await control("PATCH", "/users/1", { canDeleteLeads: true });
    });
  });

  describe("reset", () => {
    it("restores a new account", async () => {
      expect((await control("POST", "/reset")).status).toBe(200);
      expect((await api.get("/api/v2/organizations")).body.data).toEqual([]);
      expect((await api.get("/v1/leadLabels")).body.data).toHaveLength(3);
      expect(sandbox.control.users().map((user) => user.token)).toEqual([
        "admin-token",
        sandbox.tokens["rep@example.test"],
      ]);
      expect(sandbox.control.metrics().requests).toBe(2);
    });
  });

  it("answers 404 for an unknown control path", async () => {
    expect((await control("GET", "/nothing")).status).toBe(404);
  });
});
