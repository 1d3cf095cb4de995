import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/index.js";
import { call } from "./client.js";

describe("Server", () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ token: "admin-token", timeScale: 1000 });
  });
  afterAll(() => sandbox.close());

  describe("authentication", () => {
    it("answers 401 without a token", async () => {
      const answer = await call(sandbox.url, undefined, "GET", "/api/v2/persons");
      expect(answer.status).toBe(401);
      expect(answer.body.success).toBe(false);
      expect(answer.body.error).toBe("unauthorized access");
      expect(answer.body.errorCode).toBe(401);
    });

    it("answers 401 for a wrong token", async () => {
      const answer = await call(sandbox.url, "wrong", "GET", "/v1/users/me");
      expect(answer.status).toBe(401);
      expect(answer.body.error).toBe("unauthorized access");
    });

    it("accepts the api_token query parameter on v1 only", async () => {
      const v1 = await call(sandbox.url, undefined, "GET", "/v1/users/me?api_token=admin-token");
      expect(v1.status).toBe(200);
      const v2 = await call(sandbox.url, undefined, "GET", "/api/v2/persons?api_token=admin-token");
      expect(v2.status).toBe(401);
    });

    it("rejects the token of a deactivated user", async () => {
      const added = await call(sandbox.url, "admin-token", "POST", "/v1/users", {
        email: "gone@example.test",
      });
      const token =
        sandbox.control.users().find((user) => user.email === "gone@example.test")?.token ?? "";
      expect((await call(sandbox.url, token, "GET", "/v1/users/me")).status).toBe(200);
      await call(sandbox.url, "admin-token", "PUT", `/v1/users/${added.body.data.id}`, {
        active_flag: false,
      });
      expect((await call(sandbox.url, token, "GET", "/v1/users/me")).status).toBe(401);
    });
  });

  describe("routing", () => {
    it("serves v1 under /v1 and /api/v1", async () => {
      expect((await call(sandbox.url, "admin-token", "GET", "/v1/leadLabels")).status).toBe(200);
      expect((await call(sandbox.url, "admin-token", "GET", "/api/v1/leadLabels")).status).toBe(
        200,
      );
    });

    it("answers 404 for v2 outside /api/v2", async () => {
      const answer = await call(sandbox.url, "admin-token", "GET", "/v2/persons");
      expect(answer.status).toBe(404);
      expect(answer.body.success).toBe(false);
    });

    it("answers 404 for an unknown path", async () => {
      expect((await call(sandbox.url, "admin-token", "GET", "/api/v2/nothing")).status).toBe(404);
    });

    it("answers 501 for a documented operation it does not implement", async () => {
      const answer = await call(sandbox.url, "admin-token", "GET", "/v1/webhooks");
      expect(answer.status).toBe(501);
      expect(answer.body.error).toContain("not implemented by the sandbox");
    });

    it("answers 404 with the envelope for a missing record", async () => {
      const answer = await call(sandbox.url, "admin-token", "GET", "/api/v2/persons/999999");
      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({ success: false, data: null, additional_data: null });
      expect(typeof answer.body.error).toBe("string");
    });

    it("answers 400 for invalid JSON", async () => {
      const response = await fetch(`${sandbox.url}/api/v2/persons`, {
        method: "POST",
        headers: { "x-api-token": "admin-token", "content-type": "application/json" },
        body: "{not json",
      });
      expect(response.status).toBe(400);
    });
  });
});

describe("startSandbox", () => {
  it("rejects a host other than 127.0.0.1", async () => {
    await expect(startSandbox({ host: "0.0.0.0" })).rejects.toThrow("127.0.0.1 only");
  });

  it("rejects an unknown plan", async () => {
    // biome-ignore lint/suspicious/noExplicitAny: the test passes an invalid plan on purpose.
    await expect(startSandbox({ plan: "gold" as any })).rejects.toThrow("plan");
  });

  it("returns the tokens of its users", async () => {
    const sandbox = await startSandbox({
      token: "admin-token",
      users: [{ name: "Rep", email: "Rep@Example.test", token: "rep-token" }],
    });
    try {
      expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(sandbox.adminToken).toBe("admin-token");
      expect(sandbox.tokens["rep@example.test"]).toBe("rep-token");
      const me = await call(sandbox.url, "rep-token", "GET", "/v1/users/me");
      expect(me.body.data.email).toBe("rep@example.test");
      expect(me.body.data.is_you).toBe(true);
    } finally {
      await sandbox.close();
    }
  });
});
