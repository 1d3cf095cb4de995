import { describe, expect, it } from "vitest";

import { routeProblem } from "../src/routeRules.js";

describe("routeRules", () => {
  describe("routeProblem", () => {
    const accepted: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = [
      ["lead", ["organization", "person", "lead", "deal"]],
      ["lead", ["deal", "lead", "person", "organization"]],
      ["lead", []],
      ["contact", ["organization", "person"]],
      ["contact", []],
      ["invoice", ["deal"]],
      ["invoice", []],
      ["activity", ["note", "activity"]],
      ["activity", ["note"]],
      ["activity", ["activity"]],
      ["activity", []],
      ["message_thread", ["note"]],
      ["message_thread", []],
      ["team_member", []],
      ["people", ["person"]],
      ["people", ["organization", "person"]],
      ["people", []],
    ];
    for (const [from, to] of accepted) {
      it(`accepts ${from} to [${to.join(", ")}]`, () => {
        expect(routeProblem(from, to)).toBeUndefined();
      });
    }

    const rejected: ReadonlyArray<readonly [string, ReadonlyArray<string>, string]> = [
      [
        "lead",
        ["person", "deal"],
        "lead can be routed to [organization, person, lead, deal] or [], not [person, deal]",
      ],
      [
        "contact",
        ["person"],
        "contact can be routed to [organization, person] or [], not [person]",
      ],
      ["invoice", ["note"], "invoice can be routed to [deal] or [], not [note]"],
      [
        "activity",
        ["deal"],
        "activity can be routed to any of [note, activity], or [] to migrate none, not [deal]",
      ],
      ["team_member", ["person"], "team_member can be routed to [], not [person]"],
      [
        "people",
        ["deal"],
        "people can be routed to any of [organization, person], or [] to migrate none, not [deal]",
      ],
    ];
    for (const [from, to, message] of rejected) {
      it(`rejects ${from} to [${to.join(", ")}]`, () => {
        expect(routeProblem(from, to)).toBe(message);
      });
    }
  });
});
