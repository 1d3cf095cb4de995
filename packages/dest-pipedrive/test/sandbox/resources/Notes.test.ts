import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../../src/sandbox/index.js";
import { clientFor } from "../client.js";

describe("Notes", () => {
  let sandbox: Sandbox;
  let api: ReturnType<typeof clientFor>;
  let personId: number;
  let dealId: number;
  let leadId: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ token: "admin-token", timeScale: 1000 });
    api = clientFor(sandbox.url, "admin-token");
    personId = (await api.post("/api/v2/persons", { name: "Ana" })).body.data.id;
    dealId = (await api.post("/api/v2/deals", { title: "D", person_id: personId })).body.data.id;
    leadId = (await api.post("/v1/leads", { title: "L", person_id: personId })).body.data.id;
  });
  afterAll(() => sandbox.close());

  it("backdates a note and pins it", async () => {
    const note = await api.post("/v1/notes", {
      content: "<p>Old</p>",
      deal_id: dealId,
      add_time: "2019-05-06 07:08:09",
      pinned_to_deal_flag: 1,
    });
    expect(note.status).toBe(200);
    expect(note.body.data.add_time).toBe("2019-05-06 07:08:09");
    expect(note.body.data.pinned_to_deal_flag).toBe(true);
    expect(note.body.data.deal).toEqual({ title: "D" });
  });

  it("needs the parent id of a pin flag", async () => {
    const answer = await api.post("/v1/notes", {
      content: "x",
      person_id: personId,
      pinned_to_deal_flag: 1,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toContain("pinned_to_deal_flag needs deal_id");
  });

  it("filters by parent and pin flag", async () => {
    await api.post("/v1/notes", { content: "person note", person_id: personId });
    await api.post("/v1/notes", { content: "lead note", lead_id: leadId, pinned_to_lead_flag: 1 });
    const byPerson = (await api.get(`/v1/notes?person_id=${personId}`)).body.data;
    expect(byPerson.map((note: { content: string }) => note.content)).toEqual(["person note"]);
    const byLead = (await api.get(`/v1/notes?lead_id=${leadId}`)).body.data;
    expect(byLead.map((note: { content: string }) => note.content)).toEqual(["lead note"]);
    const pinned = (await api.get("/v1/notes?pinned_to_deal_flag=1")).body.data;
    expect(pinned.map((note: { content: string }) => note.content)).toEqual(["<p>Old</p>"]);
  });

  it("rejects a parent that does not exist", async () => {
    const answer = await api.post("/v1/notes", {
      content: "x",
      lead_id: "00000000-0000-4000-8000-000000000000",
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toContain("does not exist");
  });

  it("lets only admins write for another user", async () => {
    await api.post("/v1/users", { email: "rep@example.test" });
    const repToken =
      sandbox.control.users().find((user) => user.email === "rep@example.test")?.token ?? "";
    const rep = clientFor(sandbox.url, repToken);
    expect(
      (await rep.post("/v1/notes", { content: "x", person_id: personId, user_id: 1 })).status,
    ).toBe(403);
    const byAdmin = await api.post("/v1/notes", { content: "x", person_id: personId, user_id: 2 });
    expect(byAdmin.body.data.user_id).toBe(2);
  });
});
