/**
 * Security of a migration run. The API token appears in no output byte of a whole migration,
 * verification, report and rollback. It appears in no output, error message or stack trace of
 * failing runs either: a rejected token, a run that halts on server errors, and an API that echoes
 * the token in a 400 message or a 403 body. In the last case the ledger and the reports keep the
 * message with the token redacted. The sandbox
 * rejects requests without a valid token and listens only on 127.0.0.1. The reports escape
 * hostile values from the export.
 */
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { dirname, join } from "node:path";
import { inspect } from "node:util";

import type { Sandbox } from "@ferry/dest-pipedrive/sandbox";
import { startSandbox } from "@ferry/dest-pipedrive/sandbox";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { stateFolder } from "../../src/StateFolder.js";
import { openTarget } from "../../src/Target.js";
import { startEchoProxy } from "./support/EchoProxy.js";
import { type FerryRun, ferry } from "./support/Ferry.js";
import { approve, migrateInto } from "./support/Migrations.js";
import {
  type PreparedPlan,
  preparePlan,
  sandboxEnv,
  startSuiteSandbox,
} from "./support/Scenario.js";

/** A token that no other value in a run contains by chance. */
const token = "feedc0de".repeat(5);

/** Values from the export that would run as HTML, Markdown or spreadsheet formulas. */
const hostile = {
  script: "<script>alert(1)</script>",
  markdown: "| *x* |",
  formula: '=HYPERLINK("http://example.test/x","x")',
  plus: "+cmd|'/C calc'!A0",
  minus: "-2+3",
  at: "@SUM(1+1)",
};

const csvQuote = (value: string): string => `"${value.replaceAll('"', '""')}"`;

/** Puts the hostile values into the e-mail (invalid, so rejected) and name of six leads. */
const plantHostileValues = (exportDir: string): void => {
  const path = join(exportDir, "leads.csv");
  const lines = readFileSync(path, "utf8").split("\n");
  const width = (lines[0] ?? "").split(",").length;
  // Rows without quoted cells split on commas exactly.
  const plain = lines
    .map((line, index) => ({ line, index }))
    .filter(
      ({ line, index }) => index > 0 && !line.includes('"') && line.split(",").length === width,
    );
  Object.values(hostile).forEach((value, position) => {
    const row = plain[position];
    if (row === undefined) throw new Error("leads.csv has too few rows without quoted cells");
    const cells = row.line.split(",");
    cells[1] = csvQuote(value);
    cells[3] = csvQuote(value);
    lines[row.index] = cells.join(",");
  });
  writeFileSync(path, lines.join("\n"));
};

/** Every file under a folder, recursively. */
const filesUnder = (folder: string): Array<string> =>
  readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });

/** The token as plain text, percent-encoded, and in upper case. */
const tokenForms = [token, encodeURIComponent(token), token.toUpperCase()].map((form) =>
  Buffer.from(form),
);

/** Files under a folder whose bytes contain the token in one of its forms. */
const filesWithToken = (folder: string): Array<string> =>
  filesUnder(folder).filter((path) => {
    const bytes = readFileSync(path);
    return tokenForms.some((form) => bytes.includes(form));
  });

/** Report files of every run under a state folder, concatenated. */
const reportText = (stateDir: string): string =>
  filesUnder(join(stateDir, "reports"))
    .map((path) => readFileSync(path, "utf8"))
    .join("\n");

let prepared: PreparedPlan;
let sandbox: Sandbox | undefined;
/** Folder and command outputs of one whole run with the recognizable token. */
let whole: { readonly stateDir: string; readonly runs: ReadonlyArray<FerryRun> };

beforeAll(async () => {
  prepared = await preparePlan({ leads: 40, seed: 7, edit: plantHostileValues });

  const target = await startSuiteSandbox({ token });
  try {
    for (const [name, value] of Object.entries(sandboxEnv(target))) vi.stubEnv(name, value);
    const stateDir = join(prepared.folder, "secret-run");
    await approve(prepared.planPath, stateDir);
    const runs = [
      await ferry(["migrate", prepared.planPath, "--state", stateDir]),
      await ferry(["verify", "--state", stateDir]),
      await ferry(["report", "--state", stateDir]),
      await ferry(["rollback", "--state", stateDir]),
    ];
    whole = { stateDir, runs };
  } finally {
    vi.unstubAllEnvs();
    await target.close();
  }
}, 90_000);
afterEach(async () => {
  vi.unstubAllEnvs();
  await sandbox?.close();
  sandbox = undefined;
});
afterAll(() => prepared?.remove());

describe("API token", () => {
  it("appears in no output of a whole run", () => {
    const files = filesUnder(join(whole.stateDir, "reports"));

    // 0 or 1 (done, or done with rejections or differences to read); never a usage error or a halt.
    for (const run of whole.runs) expect([0, 1]).toContain(run.code);
    expect(files.filter((path) => /\.(md|json|html|csv)$/.test(path)).length).toBeGreaterThan(3);
    expect(filesUnder(whole.stateDir).some((path) => path.endsWith("ledger.sqlite"))).toBe(true);
    for (const run of whole.runs) expect(run.output).not.toContain(token);
    expect(filesWithToken(prepared.folder)).toEqual([]);
  });

  it("appears in no output of a rejected token", async () => {
    sandbox = await startSuiteSandbox();
    for (const [name, value] of Object.entries(sandboxEnv(sandbox, token))) vi.stubEnv(name, value);
    const stateDir = join(prepared.folder, "rejected-token");
    await approve(prepared.planPath, stateDir);

    const run = await ferry(["migrate", prepared.planPath, "--state", stateDir]);
    const error = await migrateInto(sandbox, prepared.planPath, stateDir, { token }).catch(
      (failure: unknown) => failure,
    );

    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(/401|unauthori[sz]ed/i);
    expect(run.output).not.toContain(token);
    expect(error).toBeInstanceOf(Error);
    expect(inspect(error, { depth: 20, showHidden: true })).not.toContain(token);
    expect(String((error as Error).stack)).not.toContain(token);
    expect(JSON.stringify(error)).not.toContain(token);
    expect(filesWithToken(prepared.folder)).toEqual([]);
  });

  it("appears in no error of a halted run", async () => {
    sandbox = await startSuiteSandbox({ token });
    sandbox.control.setFaults([{ kind: "status", status: 500, method: "POST", path: "/deals" }]);
    const stateDir = join(prepared.folder, "halted-run");
    await approve(prepared.planPath, stateDir);

    const error = await migrateInto(sandbox, prepared.planPath, stateDir, { maxAttempts: 2 }).catch(
      (failure: unknown) => failure,
    );

    expect(error).toMatchObject({ _tag: "RunHaltedError", reason: "unavailable" });
    expect(inspect(error, { depth: 20, showHidden: true })).not.toContain(token);
    expect(String((error as Error).stack)).not.toContain(token);
    expect(JSON.stringify(error)).not.toContain(token);
    expect(filesWithToken(prepared.folder)).toEqual([]);
  });
});

describe("echoed API token", () => {
  it("is redacted from a 400 message", async () => {
    sandbox = await startSuiteSandbox({ token });
    const proxy = await startEchoProxy(sandbox.url, [
      { method: "POST", path: "/api/v2/persons", status: 400 },
    ]);
    try {
      for (const [name, value] of Object.entries(sandboxEnv(sandbox))) vi.stubEnv(name, value);
      vi.stubEnv("PIPEDRIVE_BASE_URL", proxy.url);
      const stateDir = join(prepared.folder, "echo-400");
      await approve(prepared.planPath, stateDir);

      const runs = [
        await ferry(["migrate", prepared.planPath, "--state", stateDir]),
        await ferry(["report", "--state", stateDir]),
      ];

      expect(proxy.echoed()).toBeGreaterThan(0);
      expect(reportText(stateDir)).toContain("token [redacted] is not allowed here");
      expect(filesUnder(stateDir).some((path) => path.endsWith("ledger.sqlite"))).toBe(true);
      for (const run of runs) expect(run.output).not.toContain(token);
      expect(filesWithToken(stateDir)).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it("is redacted from a 403 halt reason", async () => {
    sandbox = await startSuiteSandbox({ token });
    const proxy = await startEchoProxy(sandbox.url, [
      { method: "POST", path: "/api/v2/organizations", status: 403 },
    ]);
    try {
      for (const [name, value] of Object.entries(sandboxEnv(sandbox))) vi.stubEnv(name, value);
      vi.stubEnv("PIPEDRIVE_BASE_URL", proxy.url);
      const stateDir = join(prepared.folder, "echo-403");
      await approve(prepared.planPath, stateDir);

      const runs = [
        await ferry(["migrate", prepared.planPath, "--state", stateDir]),
        await ferry(["report", "--state", stateDir]),
      ];

      expect(proxy.echoed()).toBeGreaterThan(0);
      expect(runs[0]?.code).not.toBe(0);
      expect(reportText(stateDir)).toMatch(/forbidden/);
      expect(reportText(stateDir)).toContain("[redacted]");
      for (const run of runs) expect(run.output).not.toContain(token);
      expect(filesWithToken(stateDir)).toEqual([]);
    } finally {
      await proxy.close();
    }
  });
});

describe("sandbox", () => {
  it("rejects requests without a valid token", async () => {
    sandbox = await startSuiteSandbox({ token });
    const persons = `${sandbox.url}/api/v2/persons`;

    const none = await fetch(persons);
    const wrong = await fetch(persons, { headers: { "x-api-token": "0".repeat(40) } });
    const inQuery = await fetch(`${persons}?api_token=${token}`);
    const valid = await fetch(persons, { headers: { "x-api-token": token } });

    expect(none.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(inQuery.status).toBe(401);
    expect(valid.status).toBe(200);
  });

  it("keeps its token and state readable by the owner only", async () => {
    const stateDir = join(prepared.folder, "embedded-sandbox");
    const folder = stateFolder(stateDir);
    const modeOf = (path: string): number => statSync(path).mode & 0o777;
    const first = await openTarget(folder, {});
    await first.close();

    expect(first.kind).toBe("sandbox");
    expect(modeOf(folder.sandboxToken)).toBe(0o600);
    expect(modeOf(folder.sandboxState)).toBe(0o600);
    expect(modeOf(dirname(folder.sandboxState))).toBe(0o700);
    expect(readFileSync(folder.sandboxState, "utf8")).toContain(first.secrets[0]);

    // Files from a version that wrote them with the default modes are narrowed on the next start.
    chmodSync(dirname(folder.sandboxState), 0o755);
    chmodSync(folder.sandboxToken, 0o644);
    chmodSync(folder.sandboxState, 0o644);
    const second = await openTarget(folder, {});
    await second.close();

    expect(second.secrets).toEqual(first.secrets);
    expect(modeOf(folder.sandboxToken)).toBe(0o600);
    expect(modeOf(folder.sandboxState)).toBe(0o600);
    expect(modeOf(dirname(folder.sandboxState))).toBe(0o700);
  });

  it("listens only on 127.0.0.1", async () => {
    sandbox = await startSuiteSandbox();
    const port = sandbox.port;
    const reach = (host: string) =>
      new Promise<string>((resolve) => {
        const socket = connect({ host, port });
        socket.on("connect", () => {
          socket.destroy();
          resolve("connected");
        });
        socket.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
      });

    expect(new URL(sandbox.url).hostname).toBe("127.0.0.1");
    expect(await reach("127.0.0.1")).toBe("connected");
    // 127.0.0.2 is another loopback address: a server bound to every address would accept it.
    expect(await reach("127.0.0.2")).toBe("ECONNREFUSED");
    await expect(startSandbox({ host: "0.0.0.0" })).rejects.toThrow();
  });
});

describe("run reports", () => {
  it("escape hostile values", () => {
    const folder = join(whole.stateDir, "reports", "run-1");
    const html = readFileSync(join(folder, "report.html"), "utf8");
    const markdown = readFileSync(join(folder, "report.md"), "utf8");
    const csv = readFileSync(join(folder, "rejections.csv"), "utf8");

    expect(html).not.toContain(hostile.script);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toMatch(/<script/i);

    expect(markdown).not.toContain(hostile.script);
    expect(markdown).toContain("\\| *x* \\|");
    const tables = markdown.split(/\n\n+/).filter((block) => block.startsWith("|"));
    expect(tables.length).toBeGreaterThan(0);
    for (const table of tables) {
      const [header = "", ...rows] = table.split("\n");
      const columns = (line: string) => line.split(/(?<!\\)\|/).length;
      for (const row of rows)
        expect({ row, columns: columns(row) }).toEqual({ row, columns: columns(header) });
    }

    const cells = csv.split(/\r\n/).flatMap((line) => line.split(","));
    for (const value of [hostile.formula, hostile.plus, hostile.minus, hostile.at]) {
      expect(csv).toContain(`'${value.replaceAll('"', '""')}`);
    }
    for (const cell of cells) expect(cell.replace(/^"/, "")).not.toMatch(/^[=+\-@]/);
  });
});
