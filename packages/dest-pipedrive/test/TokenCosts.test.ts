import { describe, expect, it } from "vitest";
import { matchOperation, tokenCost, tokenCostTable } from "../src/TokenCosts.js";

describe("TokenCosts", () => {
  describe("tokenCostTable", () => {
    it("contains every documented operation once", () => {
      const keys = tokenCostTable.map(
        ([version, method, template]) => `${version} ${method} ${template}`,
      );
      expect(new Set(keys).size).toBe(keys.length);
      expect(tokenCostTable.filter(([version]) => version === "v1").length).toBeGreaterThanOrEqual(
        274,
      );
      expect(tokenCostTable.filter(([version]) => version === "v2").length).toBeGreaterThanOrEqual(
        87,
      );
    });
  });

  describe("tokenCost", () => {
    it.each([
      ["GET", "/api/v2/persons/12", 1],
      ["POST", "/api/v2/persons", 5],
      ["PATCH", "/api/v2/deals/7", 5],
      ["DELETE", "/api/v2/organizations/3", 3],
      ["GET", "/api/v2/deals?limit=500&cursor=abc", 10],
      ["GET", "/api/v2/persons/search?term=a", 20],
      ["GET", "/api/v2/itemSearch/field", 20],
      ["GET", "/api/v2/dealFields", 10],
      ["GET", "/api/v2/personFields/abc123", 1],
      ["POST", "/api/v2/organizationFields", 5],
      ["POST", "/api/v2/dealFields/abc/options", 5],
      ["DELETE", "/api/v2/dealFields/abc/options", 3],
      ["GET", "/api/v2/pipelines", 5],
      ["POST", "/v1/leads", 10],
      ["POST", "/api/v1/leads", 10],
      ["GET", "/v1/leads/0b0e5f8c-1d6a-4a8e-9d1e-3f2b1c0a9e77", 2],
      ["DELETE", "/v1/leads/0b0e5f8c-1d6a-4a8e-9d1e-3f2b1c0a9e77", 6],
      ["GET", "/v1/users/me", 2],
      ["GET", "/v1/users/find", 40],
      ["GET", "/v1/leadFields", 20],
      ["GET", "/v1/leadLabels", 10],
    ])("charges %s %s %i tokens", (method, path, cost) => {
      expect(tokenCost(method, path)).toBe(cost);
    });

    it("returns undefined for an unknown path", () => {
      expect(tokenCost("GET", "/api/v2/nothing-here")).toBeUndefined();
      expect(tokenCost("GET", "/v2/persons")).toBeUndefined();
      expect(tokenCost("GET", "/elsewhere")).toBeUndefined();
    });
  });

  describe("matchOperation", () => {
    it("prefers literal segments over parameters", () => {
      expect(matchOperation("GET", "/api/v2/persons/search")?.template).toBe("/persons/search");
      expect(matchOperation("GET", "/v1/users/me")?.template).toBe("/users/me");
    });

    it("extracts the path parameters", () => {
      const matched = matchOperation("get", "/api/v2/deals/42");
      expect(matched?.template).toBe("/deals/{id}");
      expect(matched?.params).toEqual({ id: "42" });
      expect(matched?.method).toBe("GET");
    });
  });
});
