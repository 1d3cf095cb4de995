import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../../src/sandbox/index.js";
import { clientFor } from "../client.js";

describe("Pipelines", () => {
  let sandbox: Sandbox;
  let api: ReturnType<typeof clientFor>;

  beforeAll(async () => {
    sandbox = await startSandbox({ token: "admin-token", timeScale: 1000 });
    api = clientFor(sandbox.url, "admin-token");
  });
  afterAll(() => sandbox.close());

  it("starts with the default pipeline and five stages", async () => {
    const pipelines = (await api.get("/api/v2/pipelines")).body.data;
    expect(pipelines.map((pipeline: { name: string }) => pipeline.name)).toEqual(["Pipeline"]);
    const stages = (await api.get(`/api/v2/stages?pipeline_id=${pipelines[0].id}`)).body.data;
    expect(stages).toHaveLength(5);
  });

  it("keeps stages in creation order", async () => {
    const pipeline = (
      await api.post("/api/v2/pipelines", { name: "Sales", is_deal_probability_enabled: true })
    ).body.data;
    expect(pipeline.order_nr).toBe(2);
    for (const [name, probability] of [
      ["Lead", 10],
      ["Offer", 50],
      ["Won-ish", 90],
    ] as const) {
      await api.post("/api/v2/stages", {
        name,
        pipeline_id: pipeline.id,
        deal_probability: probability,
      });
    }
    const stages = (await api.get(`/api/v2/stages?pipeline_id=${pipeline.id}&sort_by=order_nr`))
      .body.data;
    expect(stages.map((stage: { name: string }) => stage.name)).toEqual([
      "Lead",
      "Offer",
      "Won-ish",
    ]);
    expect(stages.map((stage: { order_nr: number }) => stage.order_nr)).toEqual([1, 2, 3]);
    expect(stages.map((stage: { deal_probability: number }) => stage.deal_probability)).toEqual([
      10, 50, 90,
    ]);
  });

  it("places a deal in the first stage of its pipeline", async () => {
    const pipeline = (await api.post("/api/v2/pipelines", { name: "Renewals" })).body.data;
    const first = (await api.post("/api/v2/stages", { name: "Due", pipeline_id: pipeline.id })).body
      .data;
    await api.post("/api/v2/stages", { name: "Signed", pipeline_id: pipeline.id });
    const deal = (await api.post("/api/v2/deals", { title: "Renewal", pipeline_id: pipeline.id }))
      .body.data;
    expect(deal.stage_id).toBe(first.id);
    expect(deal.pipeline_id).toBe(pipeline.id);
    expect(deal.origin).toBe("API");
  });

  it("derives the pipeline from the stage", async () => {
    const stages = (await api.get("/api/v2/stages?pipeline_id=1")).body.data;
    const deal = (await api.post("/api/v2/deals", { title: "D", stage_id: stages[2].id })).body
      .data;
    expect(deal.pipeline_id).toBe(1);
    const mismatch = await api.post("/api/v2/deals", {
      title: "D",
      stage_id: stages[2].id,
      pipeline_id: 2,
    });
    expect(mismatch.status).toBe(400);
  });

  it("sets the won and close times of a won deal", async () => {
    const deal = (
      await api.post("/api/v2/deals", {
        title: "D",
        status: "won",
        won_time: "2021-06-01T12:00:00Z",
      })
    ).body.data;
    expect(deal.won_time).toBe("2021-06-01T12:00:00Z");
    expect(deal.close_time).toBe("2021-06-01T12:00:00Z");
    expect(deal.local_won_date).toBe("2021-06-01");
    const lost = (
      await api.post("/api/v2/deals", { title: "L", status: "lost", lost_reason: "Price" })
    ).body.data;
    expect(lost.lost_reason).toBe("Price");
    expect(typeof lost.lost_time).toBe("string");
  });

  it("keeps the lost time given and closes the deal then", async () => {
    const lost = (
      await api.post("/api/v2/deals", {
        title: "L",
        status: "lost",
        lost_time: "2023-06-28T14:20:00Z",
      })
    ).body.data;
    expect(lost.lost_time).toBe("2023-06-28T14:20:00Z");
    expect(lost.close_time).toBe("2023-06-28T14:20:00Z");
    expect(lost.local_lost_date).toBe("2023-06-28");
  });

  it("deletes a pipeline with its stages but never the last one", async () => {
    const pipeline = (await api.post("/api/v2/pipelines", { name: "Temp" })).body.data;
    const stage = (await api.post("/api/v2/stages", { name: "Only", pipeline_id: pipeline.id }))
      .body.data;
    expect((await api.delete(`/api/v2/pipelines/${pipeline.id}`)).body.data).toEqual({
      id: pipeline.id,
    });
    expect((await api.get(`/api/v2/stages/${stage.id}`)).status).toBe(404);

    const fresh = await startSandbox({ token: "t", timeScale: 1000 });
    try {
      const last = await clientFor(fresh.url, "t").delete("/api/v2/pipelines/1");
      expect(last.status).toBe(400);
      expect(last.body.error).toContain("last pipeline");
    } finally {
      await fresh.close();
    }
  });
});
