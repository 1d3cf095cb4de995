import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/index.js";
import { clientFor } from "./client.js";

describe("startSandbox", () => {
  let sandbox: Sandbox;
  let api: ReturnType<typeof clientFor>;

  beforeAll(async () => {
    sandbox = await startSandbox({ token: "admin-token" });
    api = clientFor(sandbox.url, "admin-token");
  });
  afterAll(() => sandbox.close());

  it("creates the records of a migration", async () => {
    const me = await api.get("/v1/users/me");
    expect(me.status).toBe(200);
    const field = await api.post("/api/v2/personFields", {
      field_name: "Tags",
      field_type: "set",
      options: [{ label: "a" }, { label: "b" }],
    });
    expect(field.status).toBe(200);
    const org = await api.post("/api/v2/organizations", { name: "Acme" });
    expect(org.status).toBe(200);
    const person = await api.post("/api/v2/persons", {
      name: "Ana Lima",
      org_id: org.body.data.id,
      emails: [{ value: "ana@example.test" }],
      custom_fields: { [field.body.data.field_code]: [field.body.data.options[0].id] },
    });
    expect(person.status).toBe(200);
    const lead = await api.post("/v1/leads", { title: "L", person_id: person.body.data.id });
    expect(lead.status).toBe(201);
    const note = await api.post("/v1/notes", {
      content: "hi",
      lead_id: lead.body.data.id,
      add_time: "2020-01-01 10:00:00",
    });
    expect(note.status).toBe(200);
    expect(note.body.data.add_time).toBe("2020-01-01 10:00:00");
  });
});
