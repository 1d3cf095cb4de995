import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../../src/sandbox/index.js";
import { clientFor } from "../client.js";

describe("Users", () => {
  let sandbox: Sandbox;
  let admin: ReturnType<typeof clientFor>;
  let rep: ReturnType<typeof clientFor>;

  beforeAll(async () => {
    sandbox = await startSandbox({
      token: "admin-token",
      timeScale: 1000,
      users: [{ name: "Rita Rep", email: "rita@example.test", token: "rep-token" }],
    });
    admin = clientFor(sandbox.url, "admin-token");
    rep = clientFor(sandbox.url, "rep-token");
  });
  afterAll(() => sandbox.close());

  it("lists admins and regular users", async () => {
    const answer = await admin.get("/v1/users");
    const users = answer.body.data as Array<{
      email: string;
      access: Array<{ admin?: boolean }>;
      is_you: boolean;
    }>;
    expect(users.map((user) => user.email)).toEqual([
      "admin@ferry-sandbox.test",
      "rita@example.test",
    ]);
    expect(users[0]?.access[0]?.admin).toBe(true);
    expect(users[1]?.access[0]?.admin).toBe(false);
    expect(users[0]?.is_you).toBe(true);
  });

  it("finds a user by e-mail", async () => {
    const answer = await admin.get("/v1/users/find?term=rita%40example.test&search_by_email=1");
    expect(answer.body.data).toHaveLength(1);
    expect(answer.body.data[0].name).toBe("Rita Rep");
    const none = await admin.get("/v1/users/find?term=nobody%40example.test&search_by_email=1");
    expect(none.body.data).toBeNull();
  });

  it("adds a user with its own token", async () => {
    const added = await admin.post("/v1/users", { email: "Sam@Example.test" });
    expect(added.status).toBe(200);
    expect(added.body.data.email).toBe("sam@example.test");
    expect(added.body.data.active_flag).toBe(true);
    const token = sandbox.control.users().find((user) => user.email === "sam@example.test")?.token;
    expect(token).toMatch(/^[0-9a-f]{40}$/);
    const duplicate = await admin.post("/v1/users", { email: "sam@example.test" });
    expect(duplicate.status).toBe(400);
  });

  it("lets only admins add and update users", async () => {
    expect((await rep.post("/v1/users", { email: "x@example.test" })).status).toBe(403);
    expect((await rep.put("/v1/users/1", { active_flag: false })).status).toBe(403);
  });

  it("updates only active_flag", async () => {
    const answer = await admin.put("/v1/users/2", { name: "Renamed" });
    expect(answer.status).toBe(400);
    const deactivated = await admin.put("/v1/users/2", { active_flag: false });
    expect(deactivated.body.data.active_flag).toBe(false);
    await admin.put("/v1/users/2", { active_flag: true });
  });

  it("needs the delete leads permission to delete a lead", async () => {
    const person = (await admin.post("/api/v2/persons", { name: "Ana" })).body.data;
    const lead = (await admin.post("/v1/leads", { title: "L", person_id: person.id })).body.data;
    const refused = await rep.delete(`/v1/leads/${lead.id}`);
    expect(refused.status).toBe(403);
    expect(refused.body.success).toBe(false);

    sandbox.control.setUserPermissions(2, { canDeleteLeads: true });
    expect((await rep.delete(`/v1/leads/${lead.id}`)).status).toBe(200);
    expect((await admin.get(`/v1/leads/${lead.id}`)).status).toBe(404);
  });

  it("lets an admin without the permission fail too", async () => {
    const person = (await admin.post("/api/v2/persons", { name: "Bo" })).body.data;
    const lead = (await admin.post("/v1/leads", { title: "L", person_id: person.id })).body.data;
    sandbox.control.setUserPermissions(1, { canDeleteLeads: false });
    expect((await admin.delete(`/v1/leads/${lead.id}`)).status).toBe(403);
    sandbox.control.setUserPermissions(1, { canDeleteLeads: true });
    expect((await admin.delete(`/v1/leads/${lead.id}`)).status).toBe(200);
  });
});
