import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/index.js";
import { clientFor } from "./client.js";

describe("Paging", () => {
  let sandbox: Sandbox;
  let api: ReturnType<typeof clientFor>;
  const count = 1_201;

  beforeAll(async () => {
    sandbox = await startSandbox({ token: "admin-token", timeScale: 1000 });
    api = clientFor(sandbox.url, "admin-token");
    const organizations = Array.from({ length: count }, (_, index) => ({ name: `Org ${index}` }));
    const created = await sandbox.control.seed({ organizations });
    const [organization] = (created.organizations ?? []) as Array<{ id: number }>;
    const first = organization?.id;
    expect(first).toBeTypeOf("number");
    await sandbox.control.seed({
      leads: Array.from({ length: count }, (_, index) => ({
        title: `Lead ${index}`,
        organization_id: first,
      })),
    });
  }, 60_000);
  afterAll(() => sandbox.close());

  describe("pageV2", () => {
    it("pages past 500 items with a cursor", async () => {
      const seen: Array<number> = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`;
        const answer = await api.get(`/api/v2/organizations?limit=500${query}`);
        expect(answer.status).toBe(200);
        expect(answer.body.data.length).toBeLessThanOrEqual(500);
        seen.push(...answer.body.data.map((organization: { id: number }) => organization.id));
        cursor = answer.body.additional_data.next_cursor;
        pages++;
      } while (cursor !== null);
      expect(pages).toBe(3);
      expect(seen).toHaveLength(count);
      expect(new Set(seen).size).toBe(count);
      expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    });

    it("defaults to 100 items", async () => {
      const answer = await api.get("/api/v2/organizations");
      expect(answer.body.data).toHaveLength(100);
      expect(typeof answer.body.additional_data.next_cursor).toBe("string");
    });

    it("pages a descending sort", async () => {
      const first = await api.get("/api/v2/organizations?limit=500&sort_by=id&sort_direction=desc");
      const second = await api.get(
        `/api/v2/organizations?limit=500&sort_by=id&sort_direction=desc&cursor=${first.body.additional_data.next_cursor}`,
      );
      const ids = [...first.body.data, ...second.body.data].map(
        (organization: { id: number }) => organization.id,
      );
      expect(ids[0]).toBeGreaterThan(ids[999] ?? 0);
      expect(new Set(ids).size).toBe(1_000);
    });

    it("rejects an invalid cursor", async () => {
      const answer = await api.get("/api/v2/organizations?cursor=not-a-cursor");
      expect(answer.status).toBe(400);
      expect(answer.body.error).toContain("cursor");
    });

    it("filters by ids", async () => {
      const answer = await api.get("/api/v2/organizations?ids=3,5,700");
      expect(answer.body.data.map((organization: { id: number }) => organization.id)).toEqual([
        3, 5, 700,
      ]);
    });

    it("rejects more than 100 ids", async () => {
      const ids = Array.from({ length: 101 }, (_, index) => index + 1).join(",");
      expect((await api.get(`/api/v2/organizations?ids=${ids}`)).status).toBe(400);
    });

    it("filters by updated_since", async () => {
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const since = new Date(Date.now() - 100).toISOString().replace(/\.\d{3}Z$/, "Z");
      await api.patch("/api/v2/organizations/10", { name: "Org ten" });
      const answer = await api.get(`/api/v2/organizations?updated_since=${since}`);
      expect(answer.status).toBe(200);
      expect(answer.body.data.map((organization: { id: number }) => organization.id)).toEqual([10]);
    });
  });

  describe("v1Page", () => {
    it("pages leads past 500 with start and limit", async () => {
      const first = await api.get("/v1/leads?start=0&limit=500");
      expect(first.body.data).toHaveLength(500);
      expect(first.body.additional_data.pagination).toEqual({
        start: 0,
        limit: 500,
        more_items_in_collection: true,
        next_start: 500,
      });
      const last = await api.get("/v1/leads?start=1000&limit=500");
      expect(last.body.data).toHaveLength(count - 1_000);
      expect(last.body.additional_data.pagination.more_items_in_collection).toBe(false);
      expect(last.body.additional_data.pagination.next_start).toBeUndefined();
    });
  });
});
