import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/index.js";
import { clientFor } from "./client.js";

describe("CustomFields", () => {
  let sandbox: Sandbox;
  let api: ReturnType<typeof clientFor>;
  const codes: Record<string, string> = {};
  const options: Record<string, Array<number>> = {};
  let personId: number;

  beforeAll(async () => {
    sandbox = await startSandbox({ token: "admin-token", timeScale: 1000 });
    api = clientFor(sandbox.url, "admin-token");
    for (const [name, type] of [
      ["tags", "set"],
      ["kind", "enum"],
      ["budget", "monetary"],
      ["note", "varchar"],
      ["size", "double"],
      ["period", "daterange"],
    ] as const) {
      const body: Record<string, unknown> = { field_name: name, field_type: type };
      if (type === "set" || type === "enum") body.options = [{ label: "one" }, { label: "two" }];
      const field = (await api.post("/api/v2/dealFields", body)).body.data;
      codes[name] = field.field_code;
      options[name] = (field.options ?? []).map((option: { id: number }) => option.id);
    }
    personId = (await api.post("/api/v2/persons", { name: "Ana" })).body.data.id;
  });
  afterAll(() => sandbox.close());

  describe("parseV2CustomFields", () => {
    it("stores v2 values and returns every custom field", async () => {
      const [one, two] = options.tags ?? [];
      const deal = await api.post("/api/v2/deals", {
        title: "D",
        custom_fields: {
          [codes.tags as string]: [one, two],
          [codes.kind as string]: options.kind?.[1],
          [codes.budget as string]: { value: 500, currency: "USD" },
          [codes.period as string]: { value: "2024-01-01", until: "2024-02-01" },
        },
      });
      expect(deal.status).toBe(200);
      const custom = deal.body.data.custom_fields;
      expect(custom[codes.tags as string]).toEqual([one, two]);
      expect(custom[codes.kind as string]).toBe(options.kind?.[1]);
      expect(custom[codes.budget as string]).toEqual({ value: 500, currency: "USD" });
      expect(custom[codes.period as string]).toEqual({ value: "2024-01-01", until: "2024-02-01" });
      expect(custom[codes.note as string]).toBeNull();
      expect(custom[codes.size as string]).toBeNull();
    });

    it("clears a set field with null", async () => {
      const deal = (
        await api.post("/api/v2/deals", {
          title: "D",
          custom_fields: { [codes.tags as string]: [options.tags?.[0]] },
        })
      ).body.data;
      const cleared = await api.patch(`/api/v2/deals/${deal.id}`, {
        custom_fields: { [codes.tags as string]: null },
      });
      expect(cleared.body.data.custom_fields[codes.tags as string]).toBeNull();
    });

    it("rejects a string for a numeric field", async () => {
      const answer = await api.post("/api/v2/deals", {
        title: "D",
        custom_fields: { [codes.size as string]: "12" },
      });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toContain("Expected 'number'");
    });

    it("rejects a bare number for a monetary field", async () => {
      const answer = await api.post("/api/v2/deals", {
        title: "D",
        custom_fields: { [codes.budget as string]: 500 },
      });
      expect(answer.status).toBe(400);
    });
  });

  describe("parseV1CustomFields", () => {
    it("reads and writes lead values in the v1 format", async () => {
      const [one, two] = options.tags ?? [];
      const lead = await api.post("/v1/leads", {
        title: "L",
        person_id: personId,
        [codes.tags as string]: `${one},${two}`,
        [codes.kind as string]: String(options.kind?.[0]),
        [codes.budget as string]: 250,
        [`${codes.budget}_currency`]: "EUR",
        [codes.note as string]: "hello",
      });
      expect(lead.status).toBe(201);
      const data = lead.body.data;
      expect(data[codes.tags as string]).toBe(`${one},${two}`);
      expect(data[codes.kind as string]).toBe(String(options.kind?.[0]));
      expect(data[codes.budget as string]).toBe(250);
      expect(data[`${codes.budget}_currency`]).toBe("EUR");
      expect(data[codes.note as string]).toBe("hello");
      expect((codes.size as string) in data).toBe(false);
      expect("custom" in data).toBe(false);
    });

    it("rejects an option id that does not exist", async () => {
      const answer = await api.post("/v1/leads", {
        title: "L",
        person_id: personId,
        [codes.kind as string]: "999999",
      });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toContain("Option id 999999 does not exist");
    });

    it("rejects an unknown root key", async () => {
      const answer = await api.post("/v1/leads", {
        title: "L",
        person_id: personId,
        favourite_colour: "red",
      });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toContain("favourite_colour: Unknown parameter");
    });
  });
});
