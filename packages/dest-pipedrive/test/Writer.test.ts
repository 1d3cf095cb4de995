import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import {
  EnsureActivityType,
  EnsureField,
  EnsureLabel,
  EnsurePipeline,
  type OutboundRecord,
  type ReadBackRecord,
  type WriteResult,
} from "@ferry/core";
import { Chunk, Effect, Stream } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { PipedriveDestination } from "../src/index.js";
import { startTestSandbox, type TestSandbox } from "./support/sandbox.js";

let env: TestSandbox;
let destination: PipedriveDestination;

const customTypes = [
  ["Nickname", "varchar", []],
  ["Bio", "text", []],
  ["Fax", "phone", []],
  ["Office", "address", []],
  ["Score", "double", []],
  ["Budget", "monetary", []],
  ["Size", "enum", ["Small", "Large"]],
  ["Tags", "set", ["Red", "Green", "Blue"]],
  ["Met on", "date", []],
  ["Call at", "time", []],
] as const;

beforeAll(async () => {
  env = await startTestSandbox({ plan: "growth" });
  destination = env.destination({ plan: "growth" });
  const fields = (["organization", "person", "deal"] as const).flatMap((kind) =>
    customTypes.map(([name, type, options]) =>
      EnsureField.make({ kind, name, type, options: [...options] }),
    ),
  );
  await Effect.runPromise(
    destination.applySchema([
      ...fields,
      EnsurePipeline.make({
        name: "Sales",
        stages: [
          { name: "Open", probability: 20 },
          { name: "Closing", probability: 80 },
        ],
      }),
      EnsureLabel.make({ kind: "lead", name: "Hot" }),
      EnsureActivityType.make({ name: "Site visit" }),
    ]),
  );
});
afterAll(() => env.sandbox.close());

const customValues = {
  Nickname: "Ace",
  Bio: "Long text",
  Fax: "+33123456789",
  Office: "1 Main St, Paris",
  Score: 4.5,
  Budget: { value: 1200, currency: "EUR" },
  Size: "Large",
  Tags: ["Red", "Blue"],
  "Met on": "2024-02-03",
  "Call at": "09:30",
};

const outbound = (
  kind: string,
  sourceId: string,
  fields: OutboundRecord["fields"],
  extra: Partial<OutboundRecord> = {},
): OutboundRecord => ({
  kind,
  ref: { kind: `src-${kind}`, sourceId },
  fields,
  custom: {},
  links: {},
  ...extra,
});

const writeOne = async (record: OutboundRecord): Promise<string> => {
  const [result] = await Effect.runPromise(destination.write(record.kind, [record]));
  if (result?._tag !== "Written") throw new Error(`not written: ${JSON.stringify(result)}`);
  return result.id;
};

const readOne = async (kind: string, id: string): Promise<ReadBackRecord | undefined> => {
  const chunk = await Effect.runPromise(Stream.runCollect(destination.readBack(kind, [id])));
  return Chunk.toReadonlyArray(chunk)[0];
};

describe("Writer", () => {
  describe("write", () => {
    it("round-trips an organization with every custom field type", async () => {
      const id = await writeOne(
        outbound(
          "organization",
          "O-1",
          {
            name: "Acme",
            address: "2 Rue X",
            add_time: "2023-05-06T07:08:09Z",
            visible_to: 3,
            owner: "admin@ferry-sandbox.test",
          },
          { custom: customValues },
        ),
      );
      const back = await readOne("organization", id);
      expect(back?.fields).toEqual({
        name: "Acme",
        address: "2 Rue X",
        add_time: "2023-05-06T07:08:09Z",
        visible_to: 3,
        owner: "admin@ferry-sandbox.test",
      });
      expect(back?.custom).toEqual(customValues);
      expect(back?.ref).toEqual({ kind: "src-organization", sourceId: "O-1" });
    });

    it("round-trips a person with emails, phones and an organization", async () => {
      const orgId = await writeOne(outbound("organization", "O-2", { name: "Beta" }));
      const emails = [
        { value: "ana@example.test", label: "work", primary: true },
        { value: "ana@home.test", label: "home", primary: false },
      ];
      const phones = [{ value: "+33612345678", label: "mobile", primary: true }];
      const id = await writeOne(
        outbound(
          "person",
          "P-1",
          { name: "Ana Lima", emails, phones, job_title: "CTO" },
          { links: { org_id: orgId }, custom: customValues },
        ),
      );
      const back = await readOne("person", id);
      expect(back?.fields).toMatchObject({ name: "Ana Lima", emails, phones, job_title: "CTO" });
      expect(back?.links).toEqual({ org_id: orgId });
      expect(back?.custom).toEqual(customValues);
    });

    it("round-trips won and lost deals with stage, value and invoice fields", async () => {
      const won = await writeOne(
        outbound(
          "deal",
          "D-1",
          {
            title: "Won deal",
            status: "won",
            won_time: "2024-01-02T03:04:05Z",
            value: 5000,
            currency: "USD",
            pipeline: "Sales",
            stage: "Closing",
            expected_close_date: "2024-01-31",
          },
          { custom: { Budget: { value: 5000, currency: "USD" }, "Met on": "2023-12-01" } },
        ),
      );
      const lost = await writeOne(
        outbound(
          "deal",
          "D-2",
          {
            title: "Lost deal",
            status: "lost",
            lost_time: "2024-02-02T00:00:00Z",
            lost_reason: "Price",
            pipeline: "Sales",
            stage: "Open",
          },
          { custom: customValues },
        ),
      );
      const wonBack = await readOne("deal", won);
      expect(wonBack?.fields).toMatchObject({
        title: "Won deal",
        status: "won",
        won_time: "2024-01-02T03:04:05Z",
        value: 5000,
        currency: "USD",
        pipeline: "Sales",
        stage: "Closing",
        expected_close_date: "2024-01-31",
      });
      expect(wonBack?.custom).toEqual({
        Budget: { value: 5000, currency: "USD" },
        "Met on": "2023-12-01",
      });
      const lostBack = await readOne("deal", lost);
      expect(lostBack?.fields).toMatchObject({
        status: "lost",
        lost_time: "2024-02-02T00:00:00Z",
        lost_reason: "Price",
        stage: "Open",
      });
      expect(lostBack?.custom).toEqual(customValues);
    });

    it("round-trips a lead with labels, value and v1 custom fields", async () => {
      const personId = await writeOne(outbound("person", "P-2", { name: "Leo" }));
      const id = await writeOne(
        outbound(
          "lead",
          "L-1",
          {
            title: "Warm lead",
            value: 300,
            currency: "EUR",
            labels: ["Hot"],
            expected_close_date: "2024-06-01",
          },
          {
            links: { person_id: personId },
            custom: customValues,
          },
        ),
      );
      const back = await readOne("lead", id);
      expect(back?.fields).toMatchObject({
        title: "Warm lead",
        value: 300,
        currency: "EUR",
        labels: ["Hot"],
        expected_close_date: "2024-06-01",
      });
      expect(back?.links).toEqual({ person_id: personId });
      expect(back?.custom).toEqual(customValues);
      expect(back?.ref).toEqual({ kind: "src-lead", sourceId: "L-1" });
    });

    it("round-trips a backdated pinned note and strips its marker", async () => {
      const dealId = await writeOne(outbound("deal", "D-3", { title: "Noted" }));
      const id = await writeOne(
        outbound(
          "note",
          "N-1",
          { content: "<p>Called <b>back</b></p>", add_time: "2022-03-04T05:06:07Z", pinned: true },
          { links: { deal_id: dealId } },
        ),
      );
      const back = await readOne("note", id);
      expect(back?.fields).toEqual({
        content: "<p>Called <b>back</b></p>",
        add_time: "2022-03-04T05:06:07Z",
        pinned: true,
        owner: "admin@ferry-sandbox.test",
      });
      expect(back?.links).toEqual({ deal_id: dealId });
      expect(back?.ref).toEqual({ kind: "src-note", sourceId: "N-1" });
    });

    it("round-trips a done activity with its participant", async () => {
      const personId = await writeOne(outbound("person", "P-3", { name: "Mia" }));
      const dealId = await writeOne(outbound("deal", "D-4", { title: "Visited" }));
      const id = await writeOne(
        outbound(
          "activity",
          "A-1",
          {
            subject: "Visit",
            type: "Site visit",
            due_date: "2023-03-03",
            due_time: "10:15",
            duration: "01:00",
            done: true,
            note: "<p>Went well</p>",
          },
          { links: { deal_id: dealId, person_id: personId } },
        ),
      );
      const back = await readOne("activity", id);
      expect(back?.fields).toMatchObject({
        subject: "Visit",
        due_date: "2023-03-03",
        due_time: "10:15",
        duration: "01:00",
        done: true,
        note: "<p>Went well</p>",
      });
      expect(back?.links).toEqual({ deal_id: dealId, person_id: personId });
      expect(back?.ref).toEqual({ kind: "src-activity", sourceId: "A-1" });
    });

    it("uploads a file to its parent", async () => {
      const dealId = await writeOne(outbound("deal", "D-5", { title: "With file" }));
      const path = join(tmpdir(), `ferry-upload-${process.pid}.txt`);
      await writeFile(path, "invoice bytes");
      const id = await writeOne(
        outbound("file", "F-1", { path, name: "invoice.txt" }, { links: { deal_id: dealId } }),
      );
      const back = await readOne("file", id);
      expect(back?.fields).toEqual({ name: "invoice.txt" });
      expect(back?.links).toEqual({ deal_id: dealId });
    });

    it("rejects a file that cannot be read", async () => {
      const dealId = await writeOne(outbound("deal", "D-6", { title: "Missing file" }));
      const path = join(tmpdir(), `ferry-missing-${process.pid}.txt`);
      const [result] = await Effect.runPromise(
        destination.write("file", [
          outbound("file", "F-2", { path }, { links: { deal_id: dealId } }),
        ]),
      );
      expect(result).toMatchObject({ _tag: "WriteRejected", reason: "file-unreadable" });
      const message = result?._tag === "WriteRejected" ? result.message : "";
      expect(message).toContain(path);
    });

    it("rejects invalid records and keeps the others, in batch order", async () => {
      const results: ReadonlyArray<WriteResult> = await Effect.runPromise(
        destination.write("person", [
          outbound("person", "P-10", { name: "Good" }),
          outbound("person", "P-11", { name: "Bad owner", owner: "nobody@example.test" }),
          outbound("person", "P-12", { name: "Bad option" }, { custom: { Size: "Huge" } }),
          outbound("person", "P-13", { name: "Also good" }),
        ]),
      );
      expect(results.map((result) => result._tag)).toEqual([
        "Written",
        "WriteRejected",
        "WriteRejected",
        "Written",
      ]);
      expect(results[1]).toMatchObject({
        reason: "invalid",
        message: "owner nobody@example.test is not a user of the Pipedrive account",
      });
    });

    it("rejects a record the API refuses with its status", async () => {
      const [result] = await Effect.runPromise(
        destination.write("deal", [
          outbound("deal", "D-9", { title: "Orphan" }, { links: { person_id: "999999" } }),
        ]),
      );
      expect(result?._tag).toBe("WriteRejected");
      expect(result).toMatchObject({ status: 400 });
    });

    it("updates an existing record", async () => {
      const id = await writeOne(outbound("organization", "O-9", { name: "Old name" }));
      const [result] = await Effect.runPromise(
        destination.write("organization", [
          outbound("organization", "O-9", { name: "New name" }, { destinationId: id }),
        ]),
      );
      expect(result).toMatchObject({ _tag: "Written", id, action: "updated" });
      const back = await readOne("organization", id);
      expect(back?.fields.name).toBe("New name");
    });
  });
});
