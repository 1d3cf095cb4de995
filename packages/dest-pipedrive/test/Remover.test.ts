import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { OutboundRecord } from "@ferry/core";
import { Effect } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startTestSandbox, type TestSandbox } from "./support/sandbox.js";

let env: TestSandbox;
const repToken = "1111111111111111111111111111111111111111";

beforeAll(async () => {
  env = await startTestSandbox({
    plan: "growth",
    timeScale: 50,
    users: [
      {
        name: "Rep",
        email: "rep@example.test",
        isAdmin: false,
        canDeleteLeads: false,
        token: repToken,
      },
    ],
  });
});
afterAll(() => env.sandbox.close());

const outbound = (
  kind: string,
  sourceId: string,
  fields: OutboundRecord["fields"],
  links: OutboundRecord["links"] = {},
) => ({ kind, ref: { kind: "src", sourceId }, fields, custom: {}, links }) as OutboundRecord;

describe("Remover", () => {
  describe("remove", () => {
    it("deletes every kind by id and counts a missing record as removed", async () => {
      const destination = env.destination({ plan: "growth" });
      await Effect.runPromise(destination.applySchema([]));
      const write = async (record: OutboundRecord) => {
        const [result] = await Effect.runPromise(destination.write(record.kind, [record]));
        if (result?._tag !== "Written") throw new Error(JSON.stringify(result));
        return result.id;
      };
      const org = await write(outbound("organization", "O", { name: "Acme" }));
      const person = await write(outbound("person", "P", { name: "Ana" }, { org_id: org }));
      const deal = await write(outbound("deal", "D", { title: "Deal" }, { person_id: person }));
      const lead = await write(outbound("lead", "L", { title: "Lead" }, { person_id: person }));
      const note = await write(outbound("note", "N", { content: "x" }, { deal_id: deal }));
      const activity = await write(outbound("activity", "A", { subject: "x" }, { deal_id: deal }));
      const path = join(tmpdir(), `ferry-remove-${process.pid}.txt`);
      await writeFile(path, "bytes");
      const file = await write(outbound("file", "F", { path }, { deal_id: deal }));

      for (const [kind, id] of [
        ["file", file],
        ["activity", activity],
        ["note", note],
        ["lead", lead],
        ["deal", deal],
        ["person", person],
        ["organization", org],
      ] as const) {
        const results = await Effect.runPromise(
          destination.remove(kind, [
            id,
            kind === "lead" ? "0f0f0f0f-0000-4000-8000-000000000000" : "999999",
          ]),
        );
        expect(results).toEqual([
          { id, removed: true },
          { id: results[1]?.id, removed: true },
        ]);
      }
      const snapshot = env.sandbox.control.snapshot();
      expect(snapshot.collections.leads).toEqual([]);
    });

    it("reports a lead it may not delete and why", async () => {
      const admin = env.destination({ plan: "growth" });
      await Effect.runPromise(admin.applySchema([]));
      const [person] = await Effect.runPromise(
        admin.write("person", [outbound("person", "P2", { name: "Leo" })]),
      );
      const personId = person?._tag === "Written" ? person.id : "";
      const [lead] = await Effect.runPromise(
        admin.write("lead", [outbound("lead", "L2", { title: "Keep" }, { person_id: personId })]),
      );
      const leadId = lead?._tag === "Written" ? lead.id : "";

      const rep = env.destination({ plan: "growth", apiToken: repToken });
      const results = await Effect.runPromise(rep.remove("lead", [leadId]));
      expect(results).toEqual([
        {
          id: leadId,
          removed: false,
          reason:
            "deleting leads needs the delete-leads permission (can_delete_leads) for the token's user",
        },
      ]);
    });
  });
});
