import { describe, expect, it } from "@effect/vitest";

import { RunState } from "../../src/transforms/RunState.js";

const lead = (sourceId: string) => ({ kind: "lead", sourceId });

describe("RunState", () => {
  it("plans an organization key once", () => {
    const state = new RunState();
    expect(state.addOrganization("acme")).toBe(true);
    expect(state.addOrganization("acme")).toBe(false);
    expect(state.addOrganization("globex")).toBe(true);
    state.close();
  });

  // More keys than the 4,096 it remembers in memory, so the early ones come from the database.
  it("plans each of many organization keys once", () => {
    const state = new RunState();
    const keys = Array.from({ length: 10_000 }, (_, i) => `company ${i}`);
    expect(keys.every((key) => state.addOrganization(key))).toBe(true);
    expect(keys.some((key) => state.addOrganization(key))).toBe(false);
    expect(state.addOrganization("company 10000")).toBe(true);
    state.close();
  });

  it("keeps the first person of a key", () => {
    const state = new RunState();
    state.addPerson(["email:ana@x.test", "phone:+5511912345678"], lead("L-1"));
    state.addPerson(["email:ana@x.test", "email:bia@x.test"], lead("L-2"));
    expect(state.personFor("email:ana@x.test")).toEqual(lead("L-1"));
    expect(state.personFor("phone:+5511912345678")).toEqual(lead("L-1"));
    expect(state.personFor("email:bia@x.test")).toEqual(lead("L-2"));
    expect(state.personFor("email:caio@x.test")).toBeUndefined();
    state.close();
  });

  it("finds the first taken key in key order", () => {
    const state = new RunState();
    state.addPerson(["phone:+5511912345678"], lead("L-1"));
    state.addPerson(["email:ana@x.test"], { kind: "contact", sourceId: "C-1" });
    expect(state.firstPerson(["email:new@x.test"])).toBeUndefined();
    expect(state.firstPerson([])).toBeUndefined();
    expect(state.firstPerson(["phone:+5511912345678", "email:ana@x.test"])).toEqual({
      key: "phone:+5511912345678",
      ref: lead("L-1"),
    });
    expect(state.firstPerson(["email:new@x.test", "email:ana@x.test"])).toEqual({
      key: "email:ana@x.test",
      ref: { kind: "contact", sourceId: "C-1" },
    });
    state.close();
  });

  it("compares keys exactly", () => {
    const state = new RunState();
    state.addPerson(["email:ana@x.test"], lead("L-1"));
    expect(state.personFor("email:Ana@x.test")).toBeUndefined();
    expect(state.personFor("email:ana@x.test ")).toBeUndefined();
    expect(state.addOrganization("Acme")).toBe(true);
    expect(state.addOrganization("acme")).toBe(true);
    state.close();
  });

  it("starts empty after close", () => {
    const state = new RunState();
    state.addPerson(["email:ana@x.test"], lead("L-1"));
    state.addOrganization("acme");
    state.close();
    expect(state.personFor("email:ana@x.test")).toBeUndefined();
    expect(state.addOrganization("acme")).toBe(true);
    state.close();
  });

  // 200,000 keys fill about 10 MiB of pages, more than the 8 MiB page cache, so SQLite writes
  // pages to its temporary file and reads them back.
  it("keeps keys past its page cache", () => {
    const state = new RunState();
    const count = 200_000;
    for (let i = 0; i < count; i += 1) {
      state.addPerson([`email:person-${i}@example.test`], lead(`L-${i}`));
    }
    for (const i of [0, 1, 99_999, count - 1]) {
      expect(state.personFor(`email:person-${i}@example.test`)).toEqual(lead(`L-${i}`));
    }
    expect(state.personFor(`email:person-${count}@example.test`)).toBeUndefined();
    state.close();
  });
});
