import { ConfigProvider, Effect, Redacted } from "effect";
import { describe, expect, it } from "vitest";

import { decodePipedriveConfig } from "../src/PipedriveConfig.js";

const withEnv = (env: Record<string, string>) =>
  Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))));

describe("PipedriveConfig", () => {
  describe("decodePipedriveConfig", () => {
    it("reads the token from PIPEDRIVE_API_TOKEN", async () => {
      const config = await Effect.runPromise(
        decodePipedriveConfig({ companyDomain: "acme", plan: "growth", seats: 5 }).pipe(
          withEnv({ PIPEDRIVE_API_TOKEN: "secret-token" }),
        ),
      );
      expect(Redacted.value(config.apiToken)).toBe("secret-token");
      expect(config.origin).toBe("https://acme.pipedrive.com");
      expect(config.dailyBudget).toBe(300_000);
      expect(config.concurrency).toBe(4);
      expect(String(config.apiToken)).not.toContain("secret-token");
    });

    it("prefers a base URL and trims its slash", async () => {
      const config = await Effect.runPromise(
        decodePipedriveConfig({
          baseUrl: "http://127.0.0.1:4010/",
          companyDomain: "acme",
          apiToken: "t",
          plan: "lite",
          seats: 1,
        }),
      );
      expect(config.origin).toBe("http://127.0.0.1:4010");
    });

    it("fails without a token", async () => {
      const error = await Effect.runPromise(
        Effect.flip(
          decodePipedriveConfig({ companyDomain: "acme", plan: "lite", seats: 1 }).pipe(
            withEnv({}),
          ),
        ),
      );
      expect(error.message).toBe(
        'Pipedrive configuration option "apiToken" is invalid: PIPEDRIVE_API_TOKEN is not set; export it or pass apiToken',
      );
    });

    it("fails without a base URL or domain", async () => {
      const error = await Effect.runPromise(
        Effect.flip(decodePipedriveConfig({ apiToken: "t", plan: "lite", seats: 1 })),
      );
      expect(error.option).toBe("baseUrl");
    });

    it("fails on a bad plan or seat count", async () => {
      const plan = await Effect.runPromise(
        Effect.flip(
          decodePipedriveConfig({
            apiToken: "t",
            companyDomain: "a",
            plan: "gold" as "lite",
            seats: 1,
          }),
        ),
      );
      expect(plan.message).toContain("gold");
      const seats = await Effect.runPromise(
        Effect.flip(
          decodePipedriveConfig({ apiToken: "t", companyDomain: "a", plan: "lite", seats: 0 }),
        ),
      );
      expect(seats.message).toContain("seats");
    });
  });
});
