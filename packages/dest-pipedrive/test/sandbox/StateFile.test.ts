import { type ChildProcess, spawn } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "tsup";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSandbox } from "../../src/sandbox/index.js";
import { journalPath, loadStateFile, StateFileWriter } from "../../src/sandbox/StateFile.js";
import { type EntityRecord, Store } from "../../src/sandbox/Store.js";
import { type Answer, call, clientFor } from "./client.js";

const here = dirname(fileURLToPath(import.meta.url));
const repositoryRoot = resolve(here, "../../../..");
// Inside node_modules, like the other test bundles of the repository.
const childBundle = join(repositoryRoot, "node_modules/.cache/ferry-sandbox-state/child.mjs");

beforeAll(async () => {
  mkdirSync(dirname(childBundle), { recursive: true });
  await build({
    entry: { child: join(here, "StateFileChild.ts") },
    outDir: dirname(childBundle),
    format: ["esm"],
    outExtension: () => ({ js: ".mjs" }),
    platform: "node",
    target: "node20",
    noExternal: [/.*/],
    config: false,
    silent: true,
  });
}, 60_000);

/** A child process that runs a sandbox on a state file, and its URL. */
interface SandboxChild {
  readonly process: ChildProcess;
  readonly url: string;
  /** Settles when the child has exited, with the signal that ended it. */
  readonly exited: Promise<NodeJS.Signals | null>;
}

/** Starts the child and waits for the line with its URL, for at most 20 seconds. */
const startChild = (statePath: string, token: string): Promise<SandboxChild> =>
  new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [childBundle, statePath, token], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<NodeJS.Signals | null>((settle) =>
      child.once("exit", (_code, signal) => settle(signal)),
    );
    let output = "";
    let errors = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the sandbox child printed no URL within 20 s: ${errors}`));
    }, 20_000);
    child.stderr?.on("data", (chunk) => {
      errors += String(chunk);
    });
    child.stdout?.on("data", (chunk) => {
      output += String(chunk);
      const line = output.split("\n")[0];
      if (output.includes("\n") && line !== undefined) {
        clearTimeout(timer);
        resolvePromise({ process: child, url: line.trim(), exited });
      }
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });

/** Permission bits of a file, such as 0o600. */
const modeOf = (path: string): number => statSync(path).mode & 0o777;

/** Adds an organization to a store the way the create handler does, and marks it. */
const addOrganization = (store: Store, name: string): EntityRecord => {
  const id = store.nextId("organizations");
  const record: EntityRecord = {
    id,
    name,
    is_deleted: false,
    add_time: "2026-01-01T00:00:00Z",
    update_time: "2026-01-01T00:00:00Z",
  };
  store.collections.organizations.set(id, record);
  store.changed("organizations", id);
  return record;
};

/** Loads a state file and its journal into a new store. */
const reload = (statePath: string): Store => {
  const store = new Store();
  expect(loadStateFile(statePath, store)).toBe(true);
  return store;
};

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
    expect(existsSync(journalPath(statePath))).toBe(false);

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

  it("keeps acknowledged writes after SIGKILL", async () => {
    const statePath = join(folder, "state.json");
    const child = await startChild(statePath, "admin-token");
    const api = clientFor(child.url, "admin-token");
    let killed = false;
    try {
      const source = await api.post("/api/v2/personFields", {
        field_name: "Ferry source id",
        field_type: "varchar",
      });
      expect(source.status).toBe(200);
      const kind = await api.post("/api/v2/organizationFields", {
        field_name: "Kind",
        field_type: "enum",
        options: [{ label: "Retail" }],
      });
      expect(kind.status).toBe(200);
      const kindCode = kind.body.data.field_code;
      const wholesale = await api.post(`/api/v2/organizationFields/${kindCode}/options`, [
        { label: "Wholesale" },
      ]);
      expect(wholesale.status).toBe(200);
      const wholesaleId = wholesale.body.data[0].id;

      const organizations: Array<{ id: number; name: string }> = [];
      for (let index = 0; index < 12; index++) {
        const created = await api.post("/api/v2/organizations", {
          name: `Org ${index}`,
          custom_fields: { [kindCode]: wholesaleId },
        });
        expect(created.status).toBe(200);
        organizations.push(created.body.data);
      }
      const renamed = await api.patch(`/api/v2/organizations/${organizations[0]?.id}`, {
        name: "Org 0 renamed",
      });
      expect(renamed.status).toBe(200);
      const person = await api.post("/api/v2/persons", {
        name: "Ana",
        org_id: organizations[11]?.id,
        custom_fields: { [source.body.data.field_code]: "lead-1" },
      });
      expect(person.status).toBe(200);
      const deletedPerson = await api.post("/api/v2/persons", { name: "Gone" });
      expect((await api.delete(`/api/v2/persons/${deletedPerson.body.data.id}`)).status).toBe(200);
      const label = await api.post("/v1/leadLabels", { name: "Fair", color: "green" });
      expect(label.status).toBe(200);
      const lead = await api.post("/v1/leads", {
        title: "Lead 1",
        person_id: person.body.data.id,
        label_ids: [label.body.data.id],
      });
      expect(lead.status).toBe(201);
      const note = await api.post("/v1/notes", {
        content: "Imported",
        lead_id: lead.body.data.id,
      });
      expect(note.status).toBe(200);

      // The kill follows the last response at once, well within any write delay.
      child.process.kill("SIGKILL");
      killed = true;
      expect(await child.exited).toBe("SIGKILL");
      expect(modeOf(statePath)).toBe(0o600);
      expect(modeOf(journalPath(statePath))).toBe(0o600);

      const again = await startSandbox({ token: "admin-token", statePath, timeScale: 1000 });
      try {
        const read = clientFor(again.url, "admin-token");
        const fields = (await read.get("/api/v2/personFields")).body.data;
        expect(fields.map((field: { field_name: string }) => field.field_name)).toContain(
          "Ferry source id",
        );
        const kindField = (await read.get(`/api/v2/organizationFields/${kindCode}`)).body.data;
        expect(kindField.options.map((option: { label: string }) => option.label)).toEqual([
          "Retail",
          "Wholesale",
        ]);
        const listed = (await read.get("/api/v2/organizations?limit=100")).body.data;
        expect(listed.map((organization: { id: number }) => organization.id)).toEqual(
          organizations.map((organization) => organization.id),
        );
        expect(listed[0].name).toBe("Org 0 renamed");
        expect(listed[5].custom_fields[kindCode]).toBe(wholesaleId);
        const ana = (await read.get(`/api/v2/persons/${person.body.data.id}`)).body.data;
        expect(ana.org_id).toBe(organizations[11]?.id);
        expect((await read.get(`/api/v2/persons/${deletedPerson.body.data.id}`)).status).toBe(404);
        const savedLead = (await read.get(`/v1/leads/${lead.body.data.id}`)).body.data;
        expect(savedLead.label_ids).toEqual([label.body.data.id]);
        expect((await read.get(`/v1/notes/${note.body.data.id}`)).body.data.content).toBe(
          "Imported",
        );
        const next = await read.post("/api/v2/organizations", { name: "After restart" });
        expect(next.body.data.id).toBe((organizations[11]?.id ?? 0) + 1);
      } finally {
        await again.close();
      }
    } finally {
      if (!killed) child.process.kill("SIGKILL");
    }
  }, 60_000);

  it("journals every kind of write", async () => {
    const statePath = join(folder, "state.json");
    const sandbox = await startSandbox({ token: "admin-token", statePath, timeScale: 1000 });
    const api = clientFor(sandbox.url, "admin-token");
    const control = (method: string, path: string, body?: unknown) =>
      call(sandbox.url, "admin-token", method, `/__sandbox${path}`, body);
    /** Sends one write and checks that the files on disk hold the state that it left. */
    const write = async (answer: Promise<Answer>): Promise<Answer> => {
      const settled = await answer;
      expect(settled.status, settled.text).toBeLessThan(300);
      expect(reload(statePath).serialize()).toEqual(sandbox.control.snapshot());
      return settled;
    };
    try {
      const pipeline = (await write(api.post("/api/v2/pipelines", { name: "Sales" }))).body.data;
      await write(api.post("/api/v2/stages", { name: "New", pipeline_id: pipeline.id }));
      await write(api.patch(`/api/v2/pipelines/${pipeline.id}`, { name: "Sales 2" }));
      await write(api.delete(`/api/v2/pipelines/${pipeline.id}`));

      const field = (
        await write(
          api.post("/api/v2/dealFields", {
            field_name: "Size",
            field_type: "set",
            options: [{ label: "S" }, { label: "M" }],
          }),
        )
      ).body.data;
      const fields = `/api/v2/dealFields/${field.field_code}`;
      await write(api.patch(fields, { field_name: "Size 2" }));
      await write(api.post(`${fields}/options`, [{ label: "L" }]));
      const [small, medium] = field.options;
      await write(api.patch(`${fields}/options`, [{ id: small.id, label: "Small" }]));
      await write(api.delete(`${fields}/options`, [{ id: medium.id }]));
      await write(api.delete(fields));

      const organization = (await write(api.post("/api/v2/organizations", { name: "Acme" }))).body
        .data;
      const person = (await write(api.post("/api/v2/persons", { name: "Ana" }))).body.data;
      const deal = (
        await write(api.post("/api/v2/deals", { title: "Deal", org_id: organization.id }))
      ).body.data;
      await write(api.patch(`/api/v2/deals/${deal.id}`, { status: "won" }));
      const activity = (
        await write(
          api.post("/api/v2/activities", {
            subject: "Call",
            type: "call",
            participants: [{ person_id: person.id, primary: true }],
          }),
        )
      ).body.data;
      await write(api.delete(`/api/v2/activities/${activity.id}`));

      const label = (await write(api.post("/v1/leadLabels", { name: "Fair", color: "green" }))).body
        .data;
      await write(api.patch(`/v1/leadLabels/${label.id}`, { name: "Trade fair" }));
      const lead = (
        await write(
          api.post("/v1/leads", { title: "Lead", person_id: person.id, label_ids: [label.id] }),
        )
      ).body.data;
      await write(api.patch(`/v1/leads/${lead.id}`, { title: "Lead 2" }));
      await write(api.delete(`/v1/leadLabels/${label.id}`));
      const note = (await write(api.post("/v1/notes", { content: "Hi", lead_id: lead.id }))).body
        .data;
      await write(api.put(`/v1/notes/${note.id}`, { content: "Hello" }));
      await write(api.delete(`/v1/notes/${note.id}`));
      await write(api.delete(`/v1/leads/${lead.id}`));

      const type = (await write(api.post("/v1/activityTypes", { name: "Visit", icon_key: "car" })))
        .body.data;
      await write(api.put(`/v1/activityTypes/${type.id}`, { name: "Site visit" }));
      await write(api.delete(`/v1/activityTypes/${type.id}`));

      const form = new FormData();
      form.append("file", new Blob(["brief"]), "brief.txt");
      form.append("person_id", String(person.id));
      const upload = fetch(`${sandbox.url}/v1/files`, {
        method: "POST",
        headers: { "x-api-token": "admin-token" },
        body: form,
      }).then(async (response) => {
        const text = await response.text();
        return { status: response.status, headers: response.headers, body: JSON.parse(text), text };
      });
      const file = (await write(upload)).body.data;
      await write(api.delete(`/v1/files/${file.id}`));

      const rep = (await write(api.post("/v1/users", { email: "rep@example.test" }))).body.data;
      await write(api.put(`/v1/users/${rep.id}`, { active_flag: false }));
      await write(control("PATCH", `/users/${rep.id}`, { canDeleteLeads: true }));
      await write(control("POST", "/seed", { organizations: [{ name: "Seeded" }] }));
      await write(api.delete(`/api/v2/persons/${person.id}`));
      await write(control("POST", "/reset"));
    } finally {
      await sandbox.close();
    }
  });

  it("writes each change before the response", async () => {
    const statePath = join(folder, "state.json");
    const sandbox = await startSandbox({ token: "admin-token", statePath });
    try {
      const api = clientFor(sandbox.url, "admin-token");
      const created = await api.post("/api/v2/organizations", { name: "Acme" });
      expect(created.status).toBe(200);
      const saved = reload(statePath);
      expect(saved.collections.organizations.get(created.body.data.id)?.name).toBe("Acme");
    } finally {
      await sandbox.close();
    }
  });

  it("compacts the journal once it outgrows the snapshot", () => {
    const statePath = join(folder, "state.json");
    const store = new Store();
    const writer = new StateFileWriter(statePath, store, 1_000);
    writer.compact();
    const snapshotSize = statSync(statePath).size;
    addOrganization(store, "First");
    writer.commit();
    expect(existsSync(journalPath(statePath))).toBe(true);
    expect(statSync(statePath).size).toBe(snapshotSize);

    for (let index = 0; index < 20; index++) {
      addOrganization(store, `Organization ${index} ${"x".repeat(100)}`);
      writer.commit();
    }
    // The snapshot grew when the journal passed 1,000 bytes, and the journal started again.
    expect(statSync(statePath).size).toBeGreaterThan(snapshotSize);
    expect(reload(statePath).serialize()).toEqual(store.serialize());
    const journal = journalPath(statePath);
    const journalSize = existsSync(journal) ? statSync(journal).size : 0;
    expect(journalSize).toBeLessThanOrEqual(Math.max(1_000, statSync(statePath).size));
  });

  it("replays a journal left beside a newer snapshot", () => {
    const statePath = join(folder, "state.json");
    const store = new Store();
    const writer = new StateFileWriter(statePath, store);
    writer.compact();
    const renamed = addOrganization(store, "Kept");
    writer.commit();
    renamed.name = "Renamed";
    store.changed("organizations", renamed.id);
    writer.commit();
    copyFileSync(journalPath(statePath), join(folder, "journal.copy"));
    // A kill between the snapshot's rename and the journal's delete leaves both files.
    writer.compact();
    copyFileSync(join(folder, "journal.copy"), journalPath(statePath));

    const saved = reload(statePath);
    expect(saved.serialize()).toEqual(store.serialize());
    expect(saved.collections.organizations.get(renamed.id)?.name).toBe("Renamed");
  });

  it("replays deletes and whole collections", () => {
    const statePath = join(folder, "state.json");
    const store = new Store();
    const writer = new StateFileWriter(statePath, store);
    writer.compact();
    const removed = addOrganization(store, "Removed");
    addOrganization(store, "Stays");
    writer.commit();
    store.collections.organizations.delete(removed.id);
    store.changed("organizations", removed.id);
    store.collections.leadLabels.set("label-1", {
      id: "label-1",
      name: "Hot",
      color: "red",
      add_time: "2026-01-01T00:00:00Z",
      update_time: "2026-01-01T00:00:00Z",
    });
    store.changed("leadLabels");
    writer.commit();

    const saved = reload(statePath);
    expect([...saved.collections.organizations.keys()]).toEqual([removed.id + 1]);
    expect(saved.collections.leadLabels.get("label-1")?.name).toBe("Hot");
    expect(saved.serialize()).toEqual(store.serialize());
  });

  it("skips a journal line cut off before its newline", () => {
    const statePath = join(folder, "state.json");
    const store = new Store();
    const writer = new StateFileWriter(statePath, store);
    writer.compact();
    addOrganization(store, "Answered");
    writer.commit();
    writeFileSync(journalPath(statePath), '{"counters":{"organizations":9},"rec', { flag: "a" });

    const saved = reload(statePath);
    expect([...saved.collections.organizations.values()].map((record) => record.name)).toEqual([
      "Answered",
    ]);
    expect(saved.nextId("organizations")).toBe(2);
  });

  it("rejects a damaged journal line", () => {
    const statePath = join(folder, "state.json");
    const store = new Store();
    const writer = new StateFileWriter(statePath, store);
    writer.compact();
    addOrganization(store, "First");
    writer.commit();
    writeFileSync(journalPath(statePath), "not json\n", { flag: "a" });
    addOrganization(store, "Second");
    writer.commit();

    expect(() => loadStateFile(statePath, new Store())).toThrow(
      `Cannot load the sandbox state ${journalPath(statePath)}: line 2:`,
    );
  });

  it("rejects a journal without its state file", async () => {
    const statePath = join(folder, "state.json");
    writeFileSync(journalPath(statePath), '{"counters":{}}\n');
    await expect(startSandbox({ statePath })).rejects.toThrow(
      `the file is missing but its journal ${journalPath(statePath)} exists`,
    );
  });

  it("returns 500 when a write fails, and still stops", async () => {
    const stateFolder = join(folder, "state");
    mkdirSync(stateFolder);
    const statePath = join(stateFolder, "state.json");
    const errors: Array<string> = [];
    const sandbox = await startSandbox({
      token: "admin-token",
      statePath,
      onInternalError: (error, method, path) => errors.push(`${method} ${path} ${String(error)}`),
    });
    rmSync(stateFolder, { recursive: true });
    const answer = await clientFor(sandbox.url, "admin-token").post("/api/v2/organizations", {
      name: "Acme",
    });
    expect(answer.status).toBe(500);
    expect(answer.body.error_info).toContain("could not write its state file");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`WRITE ${statePath}`);
    expect(errors[0]).toContain("ENOENT");
    await expect(sandbox.close()).rejects.toThrow("ENOENT");
    await expect(fetch(`${sandbox.url}/v1/users/me`)).rejects.toThrow();
  });

  it("does not start when the state file cannot be written", async () => {
    const statePath = join(folder, "missing-folder", "state.json");
    await expect(startSandbox({ statePath })).rejects.toThrow("ENOENT");
  });

  it("writes the files readable by their owner only", async () => {
    const statePath = join(folder, "state.json");
    // A temporary file left by an earlier run keeps its mode when it is written again.
    writeFileSync(`${statePath}.tmp`, "{}", { mode: 0o644 });
    chmodSync(`${statePath}.tmp`, 0o644);
    const sandbox = await startSandbox({ token: "admin-token", statePath });
    try {
      await clientFor(sandbox.url, "admin-token").post("/api/v2/organizations", { name: "Acme" });
      expect(modeOf(statePath)).toBe(0o600);
      expect(modeOf(journalPath(statePath))).toBe(0o600);
      expect(readFileSync(journalPath(statePath), "utf8")).toContain("Acme");
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

  it("keeps the saved admin token when none is given", async () => {
    const statePath = join(folder, "state.json");
    await (await startSandbox({ token: "saved-token", statePath })).close();
    const sandbox = await startSandbox({ statePath });
    try {
      expect(sandbox.adminToken).toBe("saved-token");
      expect((await clientFor(sandbox.url, "saved-token").get("/v1/users/me")).status).toBe(200);
    } finally {
      await sandbox.close();
    }
  });

  it("rejects a file that is not a sandbox state", async () => {
    const statePath = join(folder, "state.json");
    writeFileSync(statePath, "{ broken");
    await expect(startSandbox({ statePath })).rejects.toThrow(
      `Cannot load the sandbox state ${statePath}`,
    );
  });
});
