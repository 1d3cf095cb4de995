import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Sandbox,
  type SandboxUserInfo,
  type SerializedState,
  startSandbox,
} from "../../src/sandbox/index.js";
import { call, clientFor } from "./client.js";

describe("SandboxControl", () => {
  let sandbox: Sandbox;
  let api: ReturnType<typeof clientFor>;
  const control = (method: string, path: string, body?: unknown) =>
    call(sandbox.url, "admin-token", method, `/__sandbox${path}`, body);

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

    /** The collections a test below creates one record in, and deletes it from. */
    const touched = [
      "fields",
      "organizations",
      "persons",
      "deals",
      "activities",
      "leads",
      "notes",
      "activityTypes",
      "files",
    ] as const;

    const snapshot = async () => (await control("GET", "/snapshot")).body.data as SerializedState;
    const compare = async (before: SerializedState, after: SerializedState) =>
      (await control("POST", "/compare", { before, after })).body.data;

    /** Creates one record in each collection of `touched` over the API. */
    const createOnePerCollection = async () => {
      const field = (
        await api.post("/api/v2/personFields", { field_name: "Region", field_type: "varchar" })
      ).body.data;
      const org = (await api.post("/api/v2/organizations", { name: "Short-lived Org" })).body.data;
      const person = (await api.post("/api/v2/persons", { name: "Short-lived Person" })).body.data;
      const deal = (await api.post("/api/v2/deals", { title: "Short-lived Deal" })).body.data;
      const activity = (await api.post("/api/v2/activities", { subject: "Call", type: "call" }))
        .body.data;
      const lead = (await api.post("/v1/leads", { title: "Lead", organization_id: org.id })).body
        .data;
      const note = (await api.post("/v1/notes", { content: "Note", org_id: org.id })).body.data;
      const type = (await api.post("/v1/activityTypes", { name: "Site visit", icon_key: "car" }))
        .body.data;
      const form = new FormData();
      form.append("file", new Blob([Buffer.from("%PDF-1.4")]), "brief.pdf");
      form.append("person_id", String(person.id));
      const upload = await fetch(`${sandbox.url}/v1/files`, {
        method: "POST",
        headers: { "x-api-token": "admin-token" },
        body: form,
      });
      const file = ((await upload.json()) as { data: { id: number } }).data;
      return { field, org, person, deal, activity, lead, note, type, file };
    };

    /** Deletes the records of `createOnePerCollection`, each with its own DELETE endpoint. */
    const deleteEach = async (created: Awaited<ReturnType<typeof createOnePerCollection>>) => {
      const paths = [
        `/api/v2/personFields/${created.field.field_code}`,
        `/v1/notes/${created.note.id}`,
        `/v1/leads/${created.lead.id}`,
        `/v1/files/${created.file.id}`,
        `/v1/activityTypes/${created.type.id}`,
        `/api/v2/activities/${created.activity.id}`,
        `/api/v2/deals/${created.deal.id}`,
        `/api/v2/persons/${created.person.id}`,
        `/api/v2/organizations/${created.org.id}`,
      ];
      for (const path of paths) expect((await api.delete(path)).status, path).toBe(200);
    };

    it("counts a soft delete as removed", async () => {
      const empty = await snapshot();
      const created = await createOnePerCollection();
      const live = await snapshot();
      const added = await compare(empty, live);
      const ids: Record<string, string | number> = {};
      for (const name of touched) {
        expect(added[name].added, name).toHaveLength(1);
        ids[name] = added[name].added[0];
      }
      expect(ids.deals).toBe(created.deal.id);
      expect(ids.leads).toBe(created.lead.id);
      expect(ids.files).toBe(created.file.id);

      await deleteEach(created);
      const deleted = await snapshot();
      // The soft-deleted records stay in the snapshot with their flag.
      const stored = (name: (typeof touched)[number]) =>
        (deleted.collections[name] as ReadonlyArray<Record<string, unknown>>).find(
          (record) => record.id === ids[name],
        );
      for (const name of ["fields", "organizations", "persons", "deals", "activities"] as const) {
        expect(stored(name)?.is_deleted, name).toBe(true);
      }
      expect(stored("files")?.active_flag).toBe(false);
      expect(stored("activityTypes")?.active_flag).toBe(false);
      expect(stored("notes")).toBeUndefined();
      expect(stored("leads")).toBeUndefined();

      const removed = await compare(live, deleted);
      for (const name of touched) {
        expect({ name, ...removed[name] }).toEqual({
          name,
          added: [],
          removed: [ids[name]],
          changed: [],
        });
      }
    });

    it("leaves out records created and deleted", async () => {
      const before = await snapshot();
      await deleteEach(await createOnePerCollection());
      const diff = await compare(before, await snapshot());
      for (const name of touched) {
        expect({ name, ...diff[name] }).toEqual({ name, added: [], removed: [], changed: [] });
      }
    });

    it("counts a restored record as added", async () => {
      const created = await createOnePerCollection();
      const live = await snapshot();
      await api.delete(`/api/v2/deals/${created.deal.id}`);
      await api.delete(`/v1/files/${created.file.id}`);
      const deleted = await snapshot();

      // Compared the other way round, the deleted records come back.
      const diff = await compare(deleted, live);
      expect(diff.deals).toEqual({ added: [created.deal.id], removed: [], changed: [] });
      expect(diff.files).toEqual({ added: [created.file.id], removed: [], changed: [] });
    });

    it("counts a deactivated user as changed", async () => {
      const before = await snapshot();
      const users = (await control("GET", "/users")).body.data as Array<SandboxUserInfo>;
      const rep = users.find((user) => user.email === "rep@example.test");
      expect((await api.put(`/v1/users/${rep?.id}`, { active_flag: false })).status).toBe(200);
      const diff = await compare(before, await snapshot());
      await api.put(`/v1/users/${rep?.id}`, { active_flag: true });

      expect(diff.users).toEqual({ added: [], removed: [], changed: [rep?.id] });
    });

    it("keeps three lists per collection", async () => {
      const state = await snapshot();
      const diff = await compare(state, state);
      expect(Object.keys(diff)).toEqual(Object.keys(state.collections));
      for (const [name, lists] of Object.entries(diff)) {
        expect({ name, lists }).toEqual({ name, lists: { added: [], removed: [], changed: [] } });
      }
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

  describe("authentication", () => {
    const paths = [
      ["GET", "/snapshot"],
      ["GET", "/users"],
      ["POST", "/reset"],
      ["GET", "/nothing"],
    ] as const;

    it.each(paths)("rejects %s %s without a token", async (method, path) => {
      const answer = await call(sandbox.url, undefined, method, `/__sandbox${path}`);
      expect(answer.status).toBe(401);
      expect(answer.body.error).toContain("admin token in the x-api-token header");
      expect(answer.text).not.toContain("admin-token");
    });

    it("rejects another user's token", async () => {
      const repToken = sandbox.tokens["rep@example.test"];
      expect((await call(sandbox.url, repToken, "GET", "/v1/users/me")).status).toBe(200);
      const answer = await call(sandbox.url, repToken, "GET", "/__sandbox/snapshot");
      expect(answer.status).toBe(401);
      expect(answer.text).not.toContain("admin-token");
    });

    it("rejects a wrong token of the same length", async () => {
      const answer = await call(sandbox.url, "admin-tokeX", "GET", "/__sandbox/users");
      expect(answer.status).toBe(401);
    });

    it("changes nothing on a rejected request", async () => {
      const before = sandbox.control.snapshot();
      const answer = await call(sandbox.url, undefined, "POST", "/__sandbox/seed", {
        organizations: [{ name: "Intruder Ltd" }],
      });
      expect(answer.status).toBe(401);
      expect(sandbox.control.compare(before).organizations.added).toEqual([]);
    });
  });
});
