import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/index.js";
import { clientFor } from "./client.js";

describe("Validation", () => {
  let sandbox: Sandbox;
  let api: ReturnType<typeof clientFor>;
  let setField: { field_code: string; options: Array<{ id: number }> };
  let enumField: { field_code: string; options: Array<{ id: number }> };
  let personId: number;

  beforeAll(async () => {
    sandbox = await startSandbox({ token: "admin-token", timeScale: 1000 });
    api = clientFor(sandbox.url, "admin-token");
    setField = (
      await api.post("/api/v2/dealFields", {
        field_name: "Tags",
        field_type: "set",
        options: [{ label: "a" }, { label: "b" }],
      })
    ).body.data;
    enumField = (
      await api.post("/api/v2/dealFields", {
        field_name: "Kind",
        field_type: "enum",
        options: [{ label: "x" }],
      })
    ).body.data;
    personId = (await api.post("/api/v2/persons", { name: "Ana" })).body.data.id;
  });
  afterAll(() => sandbox.close());

  const expect400 = async (
    promise: ReturnType<typeof api.post>,
    message: string,
  ): Promise<void> => {
    const answer = await promise;
    expect(answer.status, JSON.stringify(answer.body)).toBe(400);
    expect(answer.body.success).toBe(false);
    expect(answer.body.data).toBeNull();
    expect(answer.body.error).toContain(message);
  };

  it("rejects a wrong type", async () => {
    await expect400(
      api.post("/api/v2/persons", { name: 123 }),
      "Validation failed: name: Expected 'string'",
    );
  });

  it("rejects a number sent as a string", async () => {
    await expect400(
      api.post("/api/v2/deals", { title: "D", value: "100" }),
      "value: Expected 'number'",
    );
  });

  it("rejects 1 for a boolean", async () => {
    await expect400(
      api.post("/api/v2/pipelines", { name: "P", is_deal_probability_enabled: 1 }),
      "Expected 'boolean'",
    );
  });

  it("rejects an unknown body parameter", async () => {
    await expect400(
      api.post("/api/v2/organizations", { name: "Acme", colour: "red" }),
      "colour: Unknown parameter",
    );
  });

  it("rejects an unknown query parameter", async () => {
    const answer = await api.get("/api/v2/persons?page=2");
    expect(answer.status).toBe(400);
    expect(answer.body.error).toContain("page: Unknown query parameter");
  });

  it("rejects a limit above 500", async () => {
    const answer = await api.get("/api/v2/deals?limit=501");
    expect(answer.status).toBe(400);
    expect(answer.body.error).toContain("limit");
  });

  it("rejects a missing required parameter", async () => {
    await expect400(api.post("/api/v2/deals", { value: 5 }), "title: Parameter is required");
  });

  it("rejects plain strings as e-mails", async () => {
    await expect400(
      api.post("/api/v2/persons", { name: "Ana", emails: ["ana@example.test"] }),
      "emails[0]: Expected 'object'",
    );
  });

  it("rejects [] for a multi-option field", async () => {
    await expect400(
      api.post("/api/v2/deals", { title: "D", custom_fields: { [setField.field_code]: [] } }),
      "Expected non-empty 'array' as value for multi options custom field",
    );
  });

  it("rejects an option id that does not exist", async () => {
    await expect400(
      api.post("/api/v2/deals", { title: "D", custom_fields: { [enumField.field_code]: 999_999 } }),
      "Option id 999999 does not exist",
    );
    await expect400(
      api.post("/api/v2/deals", {
        title: "D",
        custom_fields: { [setField.field_code]: [setField.options[0]?.id, 888_888] },
      }),
      "Option id 888888 does not exist",
    );
  });

  it("rejects an option label in place of its id", async () => {
    await expect400(
      api.post("/api/v2/deals", { title: "D", custom_fields: { [enumField.field_code]: "x" } }),
      "Expected 'integer'",
    );
  });

  it("rejects an unknown custom field key", async () => {
    await expect400(
      api.post("/api/v2/deals", { title: "D", custom_fields: { ["f".repeat(40)]: "x" } }),
      "Unknown custom field key",
    );
  });

  it("rejects a lead with neither person nor organization", async () => {
    await expect400(api.post("/v1/leads", { title: "Orphan" }), "person or an organization");
  });

  it("rejects a lead whose person does not exist", async () => {
    await expect400(
      api.post("/v1/leads", { title: "L", person_id: 987_654 }),
      "Person with id 987654 does not exist",
    );
  });

  it("rejects a lead value without currency", async () => {
    await expect400(
      api.post("/v1/leads", { title: "L", person_id: personId, value: { amount: 5 } }),
      "currency: Parameter is required",
    );
  });

  it("keeps read-only fields read-only", async () => {
    await expect400(
      api.post("/api/v2/deals", { title: "D", add_time: "2020-01-01T00:00:00Z" }),
      "add_time: Parameter is read-only",
    );
    await expect400(
      api.post("/api/v2/persons", { name: "A", update_time: "2020-01-01T00:00:00Z" }),
      "update_time: Parameter is read-only",
    );
    await expect400(
      api.post("/api/v2/stages", { name: "S", pipeline_id: 1, order_nr: 3 }),
      "order_nr: Parameter is read-only",
    );
    await expect400(
      api.post("/api/v2/activities", { subject: "Call", person_id: personId }),
      "person_id: Parameter is read-only",
    );
    await expect400(
      api.post("/v1/leads", { title: "L", person_id: personId, source_name: "Import" }),
      "source_name: Parameter is read-only",
    );
  });

  it("rejects won_time on an open deal", async () => {
    await expect400(
      api.post("/api/v2/deals", { title: "D", won_time: "2020-01-01T00:00:00Z" }),
      "won_time can only be set on a won deal",
    );
  });

  it("rejects a date in the wrong format", async () => {
    await expect400(
      api.post("/api/v2/deals", { title: "D", expected_close_date: "01/02/2020" }),
      "YYYY-MM-DD",
    );
  });

  it("rejects a note without a parent", async () => {
    await expect400(
      api.post("/v1/notes", { content: "hi" }),
      "One of deal_id, person_id, org_id, lead_id or project_id is required",
    );
  });

  it("rejects a backdated note time in the wrong format", async () => {
    await expect400(
      api.post("/v1/notes", {
        content: "hi",
        person_id: personId,
        add_time: "2020-01-01T10:00:00Z",
      }),
      "YYYY-MM-DD HH:MM:SS",
    );
  });
});
