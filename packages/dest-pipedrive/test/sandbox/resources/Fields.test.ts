import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../../src/sandbox/index.js";
import { clientFor } from "../client.js";

describe("Fields", () => {
  let sandbox: Sandbox;
  let api: ReturnType<typeof clientFor>;

  beforeAll(async () => {
    sandbox = await startSandbox({ token: "admin-token", plan: "lite", timeScale: 1000 });
    api = clientFor(sandbox.url, "admin-token");
  });
  afterAll(() => sandbox.close());

  it("creates custom fields with 40-hex codes and integer option ids", async () => {
    const created = await api.post("/api/v2/dealFields", {
      field_name: "Channel",
      field_type: "enum",
      options: [{ label: "Web" }, { label: "Fair" }],
    });
    expect(created.status).toBe(200);
    const field = created.body.data;
    expect(field.field_code).toMatch(/^[0-9a-f]{40}$/);
    expect(field.is_custom_field).toBe(true);
    expect(field.options.map((option: { label: string }) => option.label)).toEqual(["Web", "Fair"]);
    for (const option of field.options) expect(Number.isInteger(option.id)).toBe(true);

    const other = await api.post("/api/v2/dealFields", {
      field_name: "Channel 2",
      field_type: "varchar",
    });
    expect(other.body.data.field_code).not.toBe(field.field_code);
  });

  it("adds, relabels and deletes options", async () => {
    const field = (
      await api.post("/api/v2/personFields", {
        field_name: "Tags",
        field_type: "set",
        options: [{ label: "a" }],
      })
    ).body.data;
    const added = await api.post(`/api/v2/personFields/${field.field_code}/options`, [
      { label: "b" },
      { label: "c" },
    ]);
    expect(added.body.data.map((option: { label: string }) => option.label)).toEqual(["b", "c"]);
    const [b, c] = added.body.data;
    await api.patch(`/api/v2/personFields/${field.field_code}/options`, [{ id: b.id, label: "B" }]);
    await api.delete(`/api/v2/personFields/${field.field_code}/options`, [{ id: c.id }]);
    const read = await api.get(`/api/v2/personFields/${field.field_code}`);
    expect(read.body.data.options.map((option: { label: string }) => option.label)).toEqual([
      "a",
      "B",
    ]);

    const missing = await api.delete(`/api/v2/personFields/${field.field_code}/options`, [
      { id: 424_242 },
    ]);
    expect(missing.status).toBe(400);
  });

  it("requires options for enum and set fields", async () => {
    const answer = await api.post("/api/v2/organizationFields", {
      field_name: "Size",
      field_type: "enum",
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toContain("Options are required");
  });

  it("lists system and custom fields", async () => {
    const answer = await api.get("/api/v2/dealFields?limit=500");
    const codes = answer.body.data.map((field: { field_code: string }) => field.field_code);
    expect(codes).toContain("title");
    expect(codes).toContain("stage_id");
    expect(
      answer.body.data.filter((field: { is_custom_field: boolean }) => field.is_custom_field),
    ).toHaveLength(2);
    expect(answer.body.additional_data.next_cursor).toBeNull();
  });

  it("lists lead fields as the deal fields in the v1 shape", async () => {
    const answer = await api.get("/v1/leadFields");
    const custom = answer.body.data.filter((field: { edit_flag: boolean }) => field.edit_flag);
    expect(custom.map((field: { name: string }) => field.name)).toEqual(["Channel", "Channel 2"]);
    expect(custom[0].key).toMatch(/^[0-9a-f]{40}$/);
    expect(Number.isInteger(custom[0].id)).toBe(true);
    expect(answer.body.additional_data.pagination.more_items_in_collection).toBe(false);
  });

  it("hides deleted fields", async () => {
    const field = (await api.post("/api/v2/dealFields", { field_name: "Temp", field_type: "text" }))
      .body.data;
    expect((await api.delete(`/api/v2/dealFields/${field.field_code}`)).status).toBe(200);
    expect((await api.get(`/api/v2/dealFields/${field.field_code}`)).status).toBe(404);
  });

  it("answers 403 past the plan's custom field cap", async () => {
    const existing = sandbox.control
      .snapshot()
      .collections.fields.filter(
        (field) =>
          (field as { is_custom_field: boolean; is_deleted: boolean }).is_custom_field &&
          !(field as { is_deleted: boolean }).is_deleted,
      ).length;
    for (let index = existing; index < 30; index++) {
      const answer = await api.post("/api/v2/organizationFields", {
        field_name: `F${index}`,
        field_type: "varchar",
      });
      expect(answer.status).toBe(200);
    }
    const over = await api.post("/api/v2/organizationFields", {
      field_name: "One too many",
      field_type: "varchar",
    });
    expect(over.status).toBe(403);
    expect(over.body.success).toBe(false);
    expect(over.body.code).toBe("feature_capping_custom_fields_limit");
    expect(over.body.error).toContain("30");
  });
});
