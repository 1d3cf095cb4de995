import { describe, expect, it } from "@effect/vitest";

import { mapFields } from "../../src/transforms/MappedFields.js";
import { makeTransformContext, withColumnHeaders } from "../../src/transforms/TransformContext.js";
import { sourceRecord } from "../support/MemoryStaging.js";
import { asRejection } from "../support/narrow.js";
import { samplePlan } from "../support/samplePlan.js";

const context = makeTransformContext(samplePlan);
const lead = (fields: Record<string, string>) => sourceRecord("lead", 2, { id: "L1", ...fields });

describe("MappedFields", () => {
  describe("mapFields", () => {
    it.each([
      [{ first_name: "Ana", last_name: "Lima" }, { name: "Ana Lima" }],
      [{ first_name: "Ana", full_name: "Ana Maria Lima" }, { name: "Ana Maria Lima" }],
      [
        { email: " ANA@x.test " },
        { emails: [{ value: "ana@x.test", label: "work", primary: true }] },
      ],
      [
        { phone: "11 91234-5678" },
        { phones: [{ value: "+5511912345678", label: "work", primary: true }] },
      ],
      [{ created_at: "02/01/2024 10:00" }, { add_time: "2024-01-02T13:00:00Z" }],
      [{ job_title: "  CEO " }, { job_title: "CEO" }],
    ])("maps %j to person fields", (fields, expected) => {
      const mapped = mapFields(lead(fields), "person", context);
      expect(mapped.fields).toEqual(expected);
      expect(mapped.problems).toEqual([]);
    });

    it("maps custom fields by name", () => {
      const mapped = mapFields(
        lead({ source: "indicação", tags: "vip|expo|vip", city: "Recife" }),
        "person",
        context,
      );
      expect(mapped.custom).toEqual({
        "Lead Source": "Indicação",
        Tags: ["VIP", "Expo 2024"],
        City: "Recife",
      });
    });

    it("maps money to value and currency", () => {
      expect(mapFields(lead({ value: "US$ 10,50" }), "deal", context).fields).toEqual({
        value: 10.5,
        currency: "USD",
      });
    });

    it.each([
      [{ email: "ana@" }, "email", "invalid-email"],
      [{ phone: "123" }, "phone", "invalid-phone"],
      [{ created_at: "31/02/2024" }, "created_at", "impossible-date"],
      [{ source: "Outdoor" }, "source", "unmapped-lead source"],
    ])("rejects %j", (fields, column, code) => {
      const [problem] = mapFields(lead(fields), "person", context).problems;
      expect(problem).toMatchObject({ _tag: "Rejection", column, code, sourceId: "L1" });
      expect(asRejection(problem).value).toBe(Object.values(fields)[0]);
    });

    it("names the column by its header", () => {
      const headers = new Map([["leads.csv", new Map([["phone", "Phone"]])]]);
      const named = withColumnHeaders(context, headers);
      const [problem] = mapFields(lead({ phone: "123" }), "person", named).problems;
      expect(problem).toMatchObject({ _tag: "Rejection", column: "Phone", code: "invalid-phone" });
      expect(asRejection(problem).message).toContain("leads.csv:2 column Phone:");
    });

    it("shows an Excel-wrapped cell as written", () => {
      const record = {
        ...lead({ phone: "123" }),
        warnings: [{ code: "excel-wrapper", column: "phone", value: '="123"', message: "" }],
      };
      const [problem] = mapFields(record, "person", context).problems;
      expect(problem).toMatchObject({ code: "invalid-phone", value: '="123"' });
      expect(asRejection(problem).message).toContain('column phone (written ="123"): "123"');
    });

    it("rejects a flagged scientific number as digits lost", () => {
      const record = {
        ...lead({ phone: "9,99748E+11" }),
        warnings: [{ code: "digits-lost", column: "phone", value: "9,99748E+11", message: "" }],
      };
      const [problem] = mapFields(record, "person", context).problems;
      expect(problem).toMatchObject({ code: "digits-lost", value: "9,99748E+11" });
      expect(asRejection(problem).message).toContain("whose digits are lost");
      expect(asRejection(problem).message).toContain("take the value from the original system");
    });

    it("cuts varchar values to 255 characters", () => {
      const city = "x".repeat(300);
      const mapped = mapFields(lead({ city }), "person", context);
      expect(mapped.custom.City).toBe("x".repeat(255));
      expect(mapped.problems).toHaveLength(1);
      expect(mapped.problems[0]).toMatchObject({
        _tag: "LossyStep",
        code: "truncated",
        field: "city",
        value: city,
      });
    });

    it("skips columns marked for review", () => {
      const plan = {
        ...samplePlan,
        fields: samplePlan.fields.map((f) => (f.column === "email" ? { ...f, review: true } : f)),
      };
      const mapped = mapFields(lead({ email: "ana@x.test" }), "person", makeTransformContext(plan));
      expect(mapped.fields).toEqual({});
    });
  });
});
