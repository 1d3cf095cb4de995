import { afterEach, describe, expect, it } from "vitest";
import {
  dailyBudget,
  type Sandbox,
  type SandboxOptions,
  startSandbox,
} from "../../src/sandbox/index.js";
import { tokenCost } from "../../src/TokenCosts.js";
import { call } from "./client.js";

describe("RateLimiter", () => {
  let sandbox: Sandbox | undefined;
  const start = async (options: SandboxOptions): Promise<Sandbox> => {
    sandbox = await startSandbox({ token: "admin-token", ...options });
    return sandbox;
  };
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  describe("token costs", () => {
    it("charges each endpoint its x-token-cost", async () => {
      const { url, control } = await start({ timeScale: 1000 });
      const created = await call(url, "admin-token", "POST", "/api/v2/persons", { name: "Ana" });
      await call(url, "admin-token", "GET", `/api/v2/persons/${created.body.data.id}`);
      await call(url, "admin-token", "GET", "/api/v2/persons?limit=10");
      await call(url, "admin-token", "GET", "/api/v2/persons/search?term=Ana");
      await call(url, "admin-token", "POST", "/v1/leads", {
        title: "L",
        person_id: created.body.data.id,
      });
      await call(url, "admin-token", "GET", "/v1/users/me");
      await call(url, "admin-token", "GET", "/api/v2/dealFields");

      const metrics = control.metrics();
      const tokensOf = (method: string, version: string, template: string): number | undefined =>
        metrics.endpoints.find(
          (entry) =>
            entry.method === method && entry.version === version && entry.template === template,
        )?.tokens;
      expect(tokensOf("POST", "v2", "/persons")).toBe(5);
      expect(tokensOf("GET", "v2", "/persons/{id}")).toBe(1);
      expect(tokensOf("GET", "v2", "/persons")).toBe(10);
      expect(tokensOf("GET", "v2", "/persons/search")).toBe(20);
      expect(tokensOf("POST", "v1", "/leads")).toBe(10);
      expect(tokensOf("GET", "v1", "/users/me")).toBe(2);
      expect(tokensOf("GET", "v2", "/dealFields")).toBe(10);
      expect(metrics.tokens).toBe(58);
      expect(control.rateLimits().tokensUsedToday).toBe(58);
      expect(tokenCost("POST", "/api/v2/persons")).toBe(5);
    });

    it("charges nothing for a request without a valid token", async () => {
      const { url, control } = await start({ timeScale: 1000 });
      await call(url, "wrong", "POST", "/api/v2/persons", { name: "Ana" });
      expect(control.rateLimits().tokensUsedToday).toBe(0);
      expect(control.metrics().unauthorized).toBe(1);
    });
  });

  describe("burst window", () => {
    it("answers 429 past the plan's burst with the headers", async () => {
      const { url, control } = await start({ plan: "lite" });
      const answers = [];
      for (let index = 0; index < 21; index++)
        answers.push(await call(url, "admin-token", "GET", "/v1/users/me"));

      const first = answers[0];
      expect(first?.status).toBe(200);
      expect(first?.headers.get("x-ratelimit-limit")).toBe("20");
      expect(first?.headers.get("x-ratelimit-remaining")).toBe("19");
      expect(Number(first?.headers.get("x-ratelimit-reset"))).toBeGreaterThanOrEqual(1);
      expect(answers[19]?.status).toBe(200);
      expect(answers[19]?.headers.get("x-ratelimit-remaining")).toBe("0");

      const limited = answers[20];
      expect(limited?.status).toBe(429);
      expect(limited?.body).toMatchObject({
        success: false,
        error: "Request over limit",
        data: null,
        additional_data: null,
      });
      expect(limited?.headers.get("x-ratelimit-limit")).toBe("20");
      expect(limited?.headers.get("x-ratelimit-remaining")).toBe("0");
      expect(Number(limited?.headers.get("x-ratelimit-reset"))).toBeGreaterThanOrEqual(1);
      expect(control.metrics().rateLimitedByBurst).toBe(1);
      expect(control.rateLimits().tokensUsedToday).toBe(40);
    });

    it("keeps one window per token", async () => {
      const { url } = await start({
        plan: "lite",
        users: [{ name: "Rep", email: "rep@example.test", token: "rep-token" }],
      });
      for (let index = 0; index < 20; index++)
        await call(url, "admin-token", "GET", "/v1/users/me");
      expect((await call(url, "admin-token", "GET", "/v1/users/me")).status).toBe(429);
      expect((await call(url, "rep-token", "GET", "/v1/users/me")).status).toBe(200);
    });

    it("limits search endpoints to 10 per window", async () => {
      const { url } = await start({ plan: "ultimate" });
      const statuses = [];
      for (let index = 0; index < 11; index++) {
        const answer = await call(url, "admin-token", "GET", "/api/v2/persons/search?term=ana");
        statuses.push(answer.status);
        if (index === 0) expect(answer.headers.get("x-ratelimit-limit")).toBe("10");
      }
      expect(statuses.slice(0, 10).every((status) => status === 200)).toBe(true);
      expect(statuses[10]).toBe(429);
      expect((await call(url, "admin-token", "GET", "/v1/users/me")).status).toBe(200);
    });

    it("reopens the window after 2/X seconds", async () => {
      const { url, control } = await start({ plan: "lite", timeScale: 2 });
      expect(control.rateLimits().windowMs).toBe(1_000);
      for (let index = 0; index < 20; index++)
        await call(url, "admin-token", "GET", "/v1/users/me");
      expect((await call(url, "admin-token", "GET", "/v1/users/me")).status).toBe(429);
      await new Promise((resolve) => setTimeout(resolve, 1_050));
      expect((await call(url, "admin-token", "GET", "/v1/users/me")).status).toBe(200);
    });
  });

  describe("daily budget", () => {
    it("is 30,000 times the plan multiplier times the seats", async () => {
      const { control } = await start({ plan: "premium", seats: 3 });
      expect(control.rateLimits().dailyBudget).toBe(450_000);
      expect(dailyBudget("growth", 5)).toBe(300_000);
    });

    it("answers 429 when the budget is spent and resets with the day", async () => {
      const { url, control } = await start({ plan: "lite", timeScale: 86_400 / 3 });
      expect(control.rateLimits().dayMs).toBe(3_000);
      control.setTokensUsed(30_000 - 4);
      const refused = await call(url, "admin-token", "POST", "/api/v2/persons", { name: "Ana" });
      expect(refused.status).toBe(429);
      expect(refused.body.error).toBe("Request over limit");
      expect(refused.headers.get("x-ratelimit-limit")).toBe("20");
      expect((await call(url, "admin-token", "GET", "/api/v2/persons/1")).status).toBe(404);
      expect(control.rateLimits().tokensUsedToday).toBe(29_997);
      expect(control.metrics().rateLimitedByBudget).toBe(1);

      const untilReset = control.rateLimits().msUntilDayReset;
      expect(untilReset).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, untilReset + 50));
      expect(
        (await call(url, "admin-token", "POST", "/api/v2/persons", { name: "Ana" })).status,
      ).toBe(200);
      expect(control.rateLimits().tokensUsedToday).toBe(5);
    });
  });

  describe("blocking", () => {
    it("answers an HTML 403 after sustained 429s", async () => {
      const { url, control } = await start({ plan: "lite", blockAfter429s: 5 });
      const statuses: Array<number> = [];
      let blocked: Awaited<ReturnType<typeof call>> | undefined;
      for (let index = 0; index < 30; index++) {
        const answer = await call(url, "admin-token", "GET", "/v1/users/me");
        statuses.push(answer.status);
        if (answer.status === 403) {
          blocked = answer;
          break;
        }
      }
      expect(statuses.filter((status) => status === 200)).toHaveLength(20);
      expect(statuses.filter((status) => status === 429)).toHaveLength(6);
      expect(blocked?.status).toBe(403);
      expect(blocked?.headers.get("content-type")).toContain("text/html");
      expect(blocked?.text).toContain("Cloudflare");
      expect(control.metrics().blocked).toBe(1);
      expect(control.rateLimits().blockedTokens).toBe(1);
    });
  });
});
