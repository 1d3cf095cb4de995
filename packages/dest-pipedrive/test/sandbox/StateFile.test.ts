import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startSandbox } from "../../src/sandbox/index.js";
import { clientFor } from "./client.js";

describe("StateFile", () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), "ferry-sandbox-"));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it("keeps the data across a restart", async () => {
    const statePath = join(folder, "state.json");
    const first = await startSandbox({ token: "admin-token", statePath, timeScale: 1000 });
    const api = clientFor(first.url, "admin-token");
    const field = (
      await api.post("/api/v2/personFields", { field_name: "Source", field_type: "varchar" })
    ).body.data;
    const person = (
      await api.post("/api/v2/persons", {
        name: "Ana",
        custom_fields: { [field.field_code]: "fair" },
      })
    ).body.data;
    const lead = (await api.post("/v1/leads", { title: "L", person_id: person.id })).body.data;
    await first.close();

    const second = await startSandbox({ token: "admin-token", statePath, timeScale: 1000 });
    try {
      const again = clientFor(second.url, "admin-token");
      const read = await again.get(`/api/v2/persons/${person.id}`);
      expect(read.body.data.name).toBe("Ana");
      expect(read.body.data.custom_fields[field.field_code]).toBe("fair");
      expect((await again.get(`/v1/leads/${lead.id}`)).body.data.title).toBe("L");
      const next = await again.post("/api/v2/persons", { name: "Bo" });
      expect(next.body.data.id).toBe(person.id + 1);
      expect((await again.get("/api/v2/pipelines")).body.data).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it("writes changes before close", async () => {
    const statePath = join(folder, "state.json");
    const sandbox = await startSandbox({ token: "admin-token", statePath, stateDebounceMs: 20 });
    try {
      await clientFor(sandbox.url, "admin-token").post("/api/v2/organizations", { name: "Acme" });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const saved = JSON.parse(readFileSync(statePath, "utf8"));
      expect(saved.collections.organizations).toHaveLength(1);
    } finally {
      await sandbox.close();
    }
  });

  it("reports a failed write and still stops", async () => {
    const statePath = join(folder, "missing-folder", "state.json");
    const errors: Array<string> = [];
    const sandbox = await startSandbox({
      token: "admin-token",
      statePath,
      stateDebounceMs: 10,
      onInternalError: (error, method, path) => errors.push(`${method} ${path} ${String(error)}`),
    });
    await clientFor(sandbox.url, "admin-token").post("/api/v2/organizations", { name: "Acme" });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`WRITE ${statePath}`);
    expect(errors[0]).toContain("ENOENT");
    await expect(sandbox.close()).rejects.toThrow("ENOENT");
    await expect(fetch(`${sandbox.url}/v1/users/me`)).rejects.toThrow();
  });

  /** Permission bits of a file, such as 0o600. */
  const modeOf = (path: string): number => statSync(path).mode & 0o777;

  /** Waits until the debounced writer has stored one organization, for at most 5 seconds. */
  const savedOrganization = async (statePath: string): Promise<void> => {
    for (let waited = 0; waited < 5_000; waited += 10) {
      if (existsSync(statePath)) {
        const saved = JSON.parse(readFileSync(statePath, "utf8"));
        if (saved.collections.organizations?.length === 1) return;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`${statePath} has no saved organization after 5 seconds`);
  };

  it("writes the file readable by its owner only", async () => {
    const statePath = join(folder, "state.json");
    // A temporary file left by an earlier run keeps its mode when it is written again.
    writeFileSync(`${statePath}.tmp`, "{}", { mode: 0o644 });
    chmodSync(`${statePath}.tmp`, 0o644);
    const sandbox = await startSandbox({ token: "admin-token", statePath, stateDebounceMs: 10 });
    try {
      await clientFor(sandbox.url, "admin-token").post("/api/v2/organizations", { name: "Acme" });
      await savedOrganization(statePath);
      expect(modeOf(statePath)).toBe(0o600);
    } finally {
      await sandbox.close();
    }
    expect(modeOf(statePath)).toBe(0o600);
    expect(readFileSync(statePath, "utf8")).toContain("admin-token");
  });

  it("narrows an existing file to its owner", async () => {
    const statePath = join(folder, "state.json");
    await (await startSandbox({ token: "admin-token", statePath })).close();
    chmodSync(statePath, 0o644);

    const sandbox = await startSandbox({ token: "admin-token", statePath });
    try {
      expect(modeOf(statePath)).toBe(0o600);
    } finally {
      await sandbox.close();
    }
    expect(modeOf(statePath)).toBe(0o600);
  });

  it("rejects a file that is not a sandbox state", async () => {
    const statePath = join(folder, "state.json");
    writeFileSync(statePath, "{ broken");
    await expect(startSandbox({ statePath })).rejects.toThrow(
      `Cannot load the sandbox state ${statePath}`,
    );
  });
});
