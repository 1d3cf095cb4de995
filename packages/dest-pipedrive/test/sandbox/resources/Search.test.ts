import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../../src/sandbox/index.js";
import { clientFor } from "../client.js";

describe("Search", () => {
  let sandbox: Sandbox;
  let api: ReturnType<typeof clientFor>;
  let markerCode: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ token: "admin-token", timeScale: 1000 });
    api = clientFor(sandbox.url, "admin-token");
    markerCode = (
      await api.post("/api/v2/personFields", {
        field_name: "Ferry source id",
        field_type: "varchar",
      })
    ).body.data.field_code;
    const org = (await api.post("/api/v2/organizations", { name: "Acme Trading" })).body.data;
    await api.post("/api/v2/organizations", { name: "Acme" });
    await api.post("/api/v2/persons", {
      name: "Ana Lima",
      org_id: org.id,
      emails: [{ value: "ana@example.test" }],
      custom_fields: { [markerCode]: "contact:C-17" },
    });
    await api.post("/api/v2/persons", {
      name: "Anabel",
      emails: [{ value: "anabel@example.test" }],
      custom_fields: { [markerCode]: "contact:C-170" },
    });
  });
  afterAll(() => sandbox.close());

  it("finds a person by exact e-mail", async () => {
    const answer = await api.get(
      "/api/v2/persons/search?term=ana%40example.test&fields=email&exact_match=true",
    );
    const items = answer.body.data.items;
    expect(items).toHaveLength(1);
    expect(items[0].item.name).toBe("Ana Lima");
    expect(items[0].item.emails).toEqual(["ana@example.test"]);
    expect(items[0].item.organization.name).toBe("Acme Trading");
    expect(answer.body.additional_data.next_cursor).toBeNull();
  });

  it("finds persons by part of an e-mail", async () => {
    const answer = await api.get("/api/v2/persons/search?term=example.test&fields=email");
    expect(answer.body.data.items).toHaveLength(2);
  });

  it("finds an organization by exact name", async () => {
    const exact = await api.get(
      "/api/v2/organizations/search?term=acme&fields=name&exact_match=true",
    );
    expect(
      exact.body.data.items.map((entry: { item: { name: string } }) => entry.item.name),
    ).toEqual(["Acme"]);
    const partial = await api.get("/api/v2/organizations/search?term=acme&fields=name");
    expect(partial.body.data.items).toHaveLength(2);
  });

  it("finds the record with an exact custom field value", async () => {
    const answer = await api.get(
      `/api/v2/itemSearch/field?term=contact%3AC-17&entity_type=person&field=${markerCode}&match=exact`,
    );
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual([{ id: 1, name: "Ana Lima" }]);
    const byPrefix = await api.get(
      `/api/v2/itemSearch/field?term=contact%3AC-17&entity_type=person&field=${markerCode}&match=beginning`,
    );
    expect(byPrefix.body.data).toHaveLength(2);
  });

  it("matches field values case-sensitively", async () => {
    const answer = await api.get(
      `/api/v2/itemSearch/field?term=CONTACT%3AC-17&entity_type=person&field=${markerCode}`,
    );
    expect(answer.body.data).toEqual([]);
  });

  it("rejects a term that is too short", async () => {
    const answer = await api.get("/api/v2/persons/search?term=a");
    expect(answer.status).toBe(400);
    expect(answer.body.error).toContain("at least 2 characters");
  });

  it("rejects an unknown search field", async () => {
    const answer = await api.get("/api/v2/persons/search?term=ana&fields=title");
    expect(answer.status).toBe(400);
  });
});
