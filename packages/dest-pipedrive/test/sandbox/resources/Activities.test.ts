import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../../src/sandbox/index.js";
import { clientFor } from "../client.js";

describe("Activities", () => {
  let sandbox: Sandbox;
  let api: ReturnType<typeof clientFor>;
  let personId: number;

  beforeAll(async () => {
    sandbox = await startSandbox({ token: "admin-token", timeScale: 1000 });
    api = clientFor(sandbox.url, "admin-token");
    personId = (await api.post("/api/v2/persons", { name: "Ana" })).body.data.id;
  });
  afterAll(() => sandbox.close());

  it("sets the person through the primary participant", async () => {
    const activity = (
      await api.post("/api/v2/activities", {
        subject: "Call",
        type: "call",
        participants: [{ person_id: personId, primary: true }],
      })
    ).body.data;
    expect(activity.person_id).toBe(personId);
    expect(activity.participants).toEqual([{ person_id: personId, primary: true }]);
  });

  it("marks a done activity with the time it was done", async () => {
    const activity = (
      await api.post("/api/v2/activities", {
        subject: "Old call",
        type: "call",
        due_date: "2019-01-02",
        done: true,
      })
    ).body.data;
    expect(activity.done).toBe(true);
    expect(typeof activity.marked_as_done_time).toBe("string");
    const undone = (await api.patch(`/api/v2/activities/${activity.id}`, { done: false })).body
      .data;
    expect(undone.marked_as_done_time).toBeNull();
  });

  it("rejects an unknown activity type", async () => {
    const answer = await api.post("/api/v2/activities", { subject: "X", type: "fax" });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toContain('Activity type "fax" does not exist');
  });

  it("accepts a custom activity type", async () => {
    const type = (await api.post("/v1/activityTypes", { name: "Site visit", icon_key: "car" })).body
      .data;
    expect(type.key_string).toBe("site_visit");
    expect(
      (await api.post("/api/v2/activities", { subject: "Visit", type: "site_visit" })).status,
    ).toBe(200);
  });

  it("filters by person and done", async () => {
    const done = (await api.get(`/api/v2/activities?done=true`)).body.data;
    expect(done.every((activity: { done: boolean }) => activity.done)).toBe(true);
    const byPerson = (await api.get(`/api/v2/activities?person_id=${personId}`)).body.data;
    expect(byPerson).toHaveLength(1);
  });
});

describe("Deals", () => {
  let sandbox: Sandbox;
  let api: ReturnType<typeof clientFor>;

  beforeAll(async () => {
    sandbox = await startSandbox({ token: "admin-token", timeScale: 1000 });
    api = clientFor(sandbox.url, "admin-token");
  });
  afterAll(() => sandbox.close());

  it("soft-deletes and lists deleted deals on request", async () => {
    const deal = (await api.post("/api/v2/deals", { title: "Gone" })).body.data;
    expect((await api.delete(`/api/v2/deals/${deal.id}`)).body.data).toEqual({ id: deal.id });
    expect((await api.get(`/api/v2/deals/${deal.id}`)).status).toBe(404);
    expect((await api.get("/api/v2/deals")).body.data).toEqual([]);
    const deleted = (await api.get("/api/v2/deals?status=deleted")).body.data;
    expect(deleted.map((entry: { id: number }) => entry.id)).toEqual([deal.id]);
    expect(deleted[0].is_deleted).toBe(true);
  });

  it("leaves archived deals out of the default list", async () => {
    const deal = (await api.post("/api/v2/deals", { title: "Shelved", is_archived: true })).body
      .data;
    expect(typeof deal.archive_time).toBe("string");
    expect(
      (await api.get("/api/v2/deals")).body.data.map((entry: { id: number }) => entry.id),
    ).not.toContain(deal.id);
  });

  it("filters by person and organization", async () => {
    const org = (await api.post("/api/v2/organizations", { name: "Acme" })).body.data;
    const person = (await api.post("/api/v2/persons", { name: "Ana", org_id: org.id })).body.data;
    const deal = (
      await api.post("/api/v2/deals", { title: "Acme deal", person_id: person.id, org_id: org.id })
    ).body.data;
    await api.post("/api/v2/deals", { title: "Other" });
    expect(
      (await api.get(`/api/v2/deals?person_id=${person.id}`)).body.data.map(
        (entry: { id: number }) => entry.id,
      ),
    ).toEqual([deal.id]);
    expect(
      (await api.get(`/api/v2/deals?org_id=${org.id}`)).body.data.map(
        (entry: { id: number }) => entry.id,
      ),
    ).toEqual([deal.id]);
    expect(
      (await api.get(`/api/v2/persons?org_id=${org.id}`)).body.data.map(
        (entry: { id: number }) => entry.id,
      ),
    ).toEqual([person.id]);
  });

  it("rejects a link to a deleted person", async () => {
    const person = (await api.post("/api/v2/persons", { name: "Bo" })).body.data;
    await api.delete(`/api/v2/persons/${person.id}`);
    const answer = await api.post("/api/v2/deals", { title: "D", person_id: person.id });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toContain(`Person with id ${person.id} does not exist`);
  });
});
