import { describe, expect, it } from "@effect/vitest";
import { Chunk, Effect, Stream } from "effect";

import {
  type Destination,
  isRejection,
  isSourceRecord,
  type OutboundRecord,
  orderKinds,
  type Source,
  type SourceRecord,
} from "../src/index.js";
import { makeMemoryDestination, makeMemorySource } from "./support/InMemory.js";

// Source kinds and the destination kind each one becomes, in the test's toy mapping.
const routes: Readonly<Record<string, string>> = { person: "contact", organization: "company" };

const toOutbound = (record: SourceRecord, links: Record<string, string>): OutboundRecord => ({
  kind: record.kind === "company" ? "organization" : "person",
  ref: { kind: record.kind, sourceId: record.sourceId },
  fields: { name: record.fields.name ?? "" },
  custom: {},
  links,
});

/**
 * Runs a two-object migration through the interfaces alone: organizations first, then persons
 * linked to the organization their `company_id` names.
 */
const migrate = (source: Source, destination: Destination) =>
  Effect.gen(function* () {
    const idMap = new Map<string, string>();
    const rejected: Array<string> = [];
    let read = 0;

    for (const kind of orderKinds(destination.kinds)) {
      const sourceKind = routes[kind] ?? kind;
      const items = yield* Stream.runCollect(source.read(sourceKind));

      for (const item of Chunk.toReadonlyArray(items)) {
        read += 1;
        if (isRejection(item)) {
          rejected.push(`${item.origin}`);
          continue;
        }
        const companyId = item.fields.company_id;
        const orgId = companyId === undefined ? undefined : idMap.get(`company:${companyId}`);
        const links: Record<string, string> = orgId === undefined ? {} : { org_id: orgId };
        const [result] = yield* destination.write(kind, [toOutbound(item, links)]);
        if (result?._tag === "Written") idMap.set(`${item.kind}:${item.sourceId}`, result.id);
        else rejected.push(`${item.origin}`);
      }
    }
    return { idMap, rejected, read };
  });

const source = makeMemorySource({
  company: [
    { id: "K1", name: "Acme" },
    { id: "K2", name: "Globex" },
  ],
  contact: [
    { id: "C1", name: "Ana", company_id: "K1" },
    { id: "C2", name: "Bruno", company_id: "K2" },
    null,
    { id: "C3", name: "Chloé" },
    { id: "C4", name: "Reject me", company_id: "K1" },
  ],
});

describe("ToyMigration", () => {
  it.effect("moves every record once and keeps links", () =>
    Effect.gen(function* () {
      const { destination, records } = makeMemoryDestination({ rejectName: "Reject me" });
      const { idMap, rejected, read } = yield* migrate(source, destination);

      const organizations = records("organization");
      const persons = records("person");
      expect(organizations.map((r) => r.fields.name).sort()).toEqual(["Acme", "Globex"]);
      expect(persons.map((r) => r.fields.name).sort()).toEqual(["Ana", "Bruno", "Chloé"]);
      expect(rejected).toEqual(["contact.csv:4", "contact.csv:6"]);

      // Every row read is either written exactly once or rejected.
      expect(read).toBe(organizations.length + persons.length + rejected.length);
      const refs = [...organizations, ...persons].map((r) => `${r.ref.kind}:${r.ref.sourceId}`);
      expect(new Set(refs).size).toBe(refs.length);

      const ana = persons.find((r) => r.fields.name === "Ana");
      expect(ana?.links.org_id).toBe(idMap.get("company:K1"));
      expect(persons.find((r) => r.fields.name === "Chloé")?.links).toEqual({});
    }),
  );

  it.effect("finds written records again by their source ref", () =>
    Effect.gen(function* () {
      const { destination } = makeMemoryDestination();
      const { idMap } = yield* migrate(source, destination);

      const found = yield* destination.lookup("person", [
        { kind: "contact", sourceId: "C1" },
        { kind: "contact", sourceId: "missing" },
      ]);
      expect([...found.entries()]).toEqual([["C1", idMap.get("contact:C1")]]);

      const readBack = yield* Stream.runCollect(
        destination.readBack("person", [...found.values()]),
      );
      expect(Chunk.toReadonlyArray(readBack).map((r) => r.fields.name)).toEqual(["Ana"]);
    }),
  );

  it("tells records from rejections", () => {
    const items = Effect.runSync(Stream.runCollect(source.read("contact")));
    const all = Chunk.toReadonlyArray(items);
    expect(all.filter(isSourceRecord)).toHaveLength(4);
    expect(all.filter(isRejection)).toHaveLength(1);
  });
});
