import { afterEach, describe, expect, it } from "@effect/vitest";
import { Effect, Fiber, Stream, TestClock } from "effect";

import {
  type Destination,
  Ledger,
  migrate,
  PlanNotApprovedError,
  PriorMigrationError,
  Progress,
  type ProgressEvent,
  ReconciliationError,
  RunHaltedError,
  recordApproval,
  runMigration,
  type SchemaChange,
  SourceError,
  type TokenAccount,
  utcDay,
} from "../../src/index.js";
import { makeMemorySource } from "../support/InMemory.js";
import {
  cleanUp,
  refsOf,
  setupRun,
  sourceWithNewCompany,
  tempFolder,
} from "../support/RunnerFixture.js";
import { countCalls, failure, makeTestDestination } from "../support/TestDestination.js";
import { makeToyPipeline, toyTables } from "../support/ToyPipeline.js";

afterEach(cleanUp);

const stateFolder = () => tempFolder("ferry-migration-");

/** Marker fields the destination adds on every schema call, as Pipedrive's `Ferry source id`. */
const markerFields: ReadonlyArray<SchemaChange> = ["organization", "person"].map((kind) => ({
  _tag: "EnsureField",
  kind,
  name: "Ferry source id",
  type: "varchar",
  options: [],
}));

const withMarkerFields = (destination: Destination): Destination => ({
  ...destination,
  addedSchemaChanges: markerFields,
  applySchema: (changes) => destination.applySchema([...markerFields, ...changes]),
});
const setup = () => setupRun();

describe("Migration", () => {
  describe("runMigration", () => {
    it("rejects an unconfirmed plan", async () => {
      const stateDir = stateFolder();
      const test = makeTestDestination();
      const pipeline = makeToyPipeline();
      const run = runMigration({
        source: makeMemorySource(toyTables(1)),
        destination: test.destination,
        pipeline,
        stateDir,
      });
      await expect(run).rejects.toBeInstanceOf(PlanNotApprovedError);
      await expect(run).rejects.toMatchObject({ problem: "unconfirmed" });
      expect(test.records()).toHaveLength(0);
    });

    it("rejects a plan that changed after approval", async () => {
      const { options, test } = await setup();
      const changed = makeToyPipeline("v2");
      const run = runMigration({ ...options, pipeline: changed });
      await expect(run).rejects.toMatchObject({
        _tag: "PlanNotApprovedError",
        problem: "changed",
        approvedHash: options.pipeline.planHash,
      });
      expect(test.records()).toHaveLength(0);
    });

    it("stops in an account another ledger migrated", async () => {
      const { options, test, pipeline } = await setupRun(toyTables(2));
      const destination = withMarkerFields(test.destination);
      await runMigration({ ...options, destination });
      const migrated = test.records().length;
      const lost = tempFolder("ferry-lost-");
      await recordApproval({
        stateDir: lost,
        planHash: pipeline.planHash,
        approvedBy: "ana@example.test",
        approvedAt: "2026-01-02T00:00:00Z",
      });

      const run = runMigration({ ...options, destination, stateDir: lost });
      await expect(run).rejects.toBeInstanceOf(PriorMigrationError);
      await expect(run).rejects.toMatchObject({
        markers: ["field:organization/Ferry source id", "field:person/Ferry source id"],
      });
      expect(test.records()).toHaveLength(migrated);

      const copy = await runMigration({
        ...options,
        destination,
        stateDir: lost,
        secondCopy: true,
      });
      expect(copy.mode).toBe("full");
      expect(test.records()).toHaveLength(2 * migrated);
    });

    it("resumes past its own marker fields", async () => {
      const { options, test } = await setupRun(toyTables(2));
      // The schema calls create the items but lose every response, until the run halts.
      const destination = withMarkerFields(
        makeTestDestination({
          store: test.store,
          fault: (call) =>
            call.method === "applySchema" && call.n <= 5 ? "lose-response" : undefined,
        }).destination,
      );
      await expect(runMigration({ ...options, destination })).rejects.toMatchObject({
        _tag: "RunHaltedError",
        phase: "schema",
      });
      const summary = await runMigration({ ...options, destination });
      expect(summary.resumed).toBe(true);
      expect(test.records()).toHaveLength(14);
    });

    it("loads every kind once with links resolved", async () => {
      const { options, test } = await setup();
      const summary = await runMigration(options);

      expect(summary.mode).toBe("full");
      expect(summary.phases.map((p) => p.phase)).toEqual([
        "organization",
        "person",
        "deal",
        "note",
      ]);
      expect(test.records("organization")).toHaveLength(3);
      expect(test.records("person")).toHaveLength(6);
      expect(test.records("deal")).toHaveLength(6);
      expect(test.records("note")).toHaveLength(6);

      const person = test.records("person").find((r) => r.ref.sourceId === "C2-1");
      const org = test.records("organization").find((r) => r.ref.sourceId === "K2");
      expect(person?.links.org_id).toBe(org?.id);
      expect(person?.custom.Deals).toBe(1);
    });

    it("reconciles every phase with rejections and the queue", async () => {
      const { options, stateDir } = await setup();
      const summary = await runMigration(options);
      const counts = Object.fromEntries(summary.phases.map((p) => [p.phase, p.counts]));

      expect(counts.person).toEqual({
        read: 7,
        loaded: 6,
        updated: 0,
        unchanged: 0,
        rejected: 0,
        queued: 1,
      });
      expect(counts.deal).toEqual({
        read: 7,
        loaded: 6,
        updated: 0,
        unchanged: 0,
        rejected: 0,
        queued: 1,
      });
      expect(counts.note).toEqual({
        read: 7,
        loaded: 6,
        updated: 0,
        unchanged: 0,
        rejected: 1,
        queued: 0,
      });

      const ledger = Ledger.open(stateDir);
      const rejections = ledger.rejections(summary.runId);
      ledger.close();
      expect(rejections.map((r) => r.code).sort()).toEqual([
        "invalid-number",
        "link-target-missing",
        "unreadable",
      ]);
      const link = rejections.find((r) => r.code === "link-target-missing");
      expect(link).toMatchObject({ file: "note.csv", line: 8, destKind: "note", sourceId: "NX" });
    });

    it("journals schema items and provisions users first", async () => {
      const { options, stateDir, test } = await setup();
      const events: Array<ProgressEvent> = [];
      const summary = await runMigration({ ...options, onProgress: (e) => events.push(e) });

      const ledger = Ledger.open(stateDir);
      const items = ledger.schemaItems([summary.runId]);
      const phases = ledger.checkpoints(summary.runId).map((c) => c.phase);
      ledger.close();
      expect(items.map((i) => i.name).sort()).toEqual([
        "Lead source",
        "Sales",
        "Tags",
        "ana@example.test",
      ]);
      expect(test.schemaItems).toHaveLength(4);
      expect(phases.slice(0, 4)).toEqual(["stage", "plan", "schema", "users"]);

      const started = events.filter((e) => e._tag === "PhaseStarted").map((e) => e.phase);
      expect(started.indexOf("users")).toBeLessThan(started.indexOf("organization"));
      expect(events.some((e) => e._tag === "RecordsDone" && e.phase === "person")).toBe(true);
    });

    it("leaves everything unchanged on a second run", async () => {
      const { options, test } = await setup();
      await runMigration(options);
      const writes = test.calls("write");
      const summary = await runMigration(options);

      expect(summary.mode).toBe("delta");
      expect(test.calls("write")).toBe(writes);
      const person = summary.phases.find((p) => p.phase === "person");
      expect(person?.counts).toMatchObject({ read: 7, loaded: 0, unchanged: 6, queued: 1 });
    });

    it("writes nothing on a dry run", async () => {
      const { options, test } = await setup();
      const summary = await runMigration({ ...options, dryRun: true });
      expect(test.calls("write")).toBe(0);
      expect(test.schemaItems).toHaveLength(0);
      expect(summary.phases.find((p) => p.phase === "deal")?.counts.loaded).toBe(6);
    });

    it("settles lost responses without duplicates", async () => {
      const { options } = await setup();
      const test = makeTestDestination({
        fault: (call) =>
          call.method === "write" && call.n % 3 === 2 ? "lose-response" : undefined,
      });
      const summary = await runMigration({ ...options, destination: test.destination });

      const refs = refsOf(test.records());
      expect(new Set(refs).size).toBe(refs.length);
      expect(refs).toHaveLength(21);
      expect(
        summary.phases.every(
          (p) => p.counts.loaded + p.counts.rejected + p.counts.queued === p.counts.read,
        ),
      ).toBe(true);
      expect(test.calls("lookup")).toBeGreaterThan(0);
    });

    it("rejects what the destination rejects and its children", async () => {
      const { options } = await setup();
      const test = makeTestDestination({
        rejectWhen: (record) =>
          record.fields.title === "Deal 1.1" ? "title is reserved" : undefined,
      });
      const summary = await runMigration({ ...options, destination: test.destination });
      const counts = Object.fromEntries(summary.phases.map((p) => [p.phase, p.counts]));
      expect(counts.deal?.rejected).toBe(1);
      expect(counts.note?.rejected).toBe(2);
      expect(test.records("note").map((r) => r.ref.sourceId)).not.toContain("N1-1");
    });

    it("halts on 403 and resumes without duplicates", async () => {
      const { options, stateDir } = await setup();
      let forbidden = true;
      const test = makeTestDestination({
        fault: (call) =>
          forbidden && call.method === "write" && call.kind === "deal"
            ? failure("forbidden")
            : undefined,
      });
      const first = runMigration({ ...options, destination: test.destination });
      await expect(first).rejects.toBeInstanceOf(RunHaltedError);
      await expect(first).rejects.toMatchObject({ reason: "forbidden", phase: "deal" });

      const ledger = Ledger.open(stateDir);
      expect(ledger.runs().at(-1)?.status).toBe("halted");
      ledger.close();

      forbidden = false;
      const summary = await runMigration({ ...options, destination: test.destination });
      expect(summary.resumed).toBe(true);
      expect(test.records()).toHaveLength(21);
      expect(new Set(refsOf(test.records())).size).toBe(21);
    });

    it("retries a transient schema failure", async () => {
      const { options } = await setup();
      const test = makeTestDestination({
        fault: (call) =>
          call.method === "applySchema" && call.n === 1 ? failure("server") : undefined,
      });
      const summary = await runMigration({ ...options, destination: test.destination });
      expect(test.calls("applySchema")).toBe(3);
      expect(test.schemaItems).toHaveLength(4);
      expect(summary.phases).toHaveLength(4);
    });

    it("journals schema items after a lost response", async () => {
      const { options, stateDir } = await setup();
      const test = makeTestDestination({
        fault: (call) =>
          call.method === "applySchema" && call.n === 1 ? "lose-response" : undefined,
      });
      const summary = await runMigration({ ...options, destination: test.destination });

      const ledger = Ledger.open(stateDir);
      const names = ledger.schemaItems([summary.runId]).map((item) => item.name);
      ledger.close();
      expect(names.sort()).toEqual(["Lead source", "Sales", "Tags", "ana@example.test"]);
    });

    it("journals schema items of an interrupted schema phase", async () => {
      const { options, stateDir } = await setup();
      const test = makeTestDestination({
        fault: (call) =>
          call.method === "applySchema" && call.n === 1 ? "lose-response" : undefined,
      });
      const first = runMigration({ ...options, destination: test.destination, maxAttempts: 1 });
      await expect(first).rejects.toMatchObject({ _tag: "RunHaltedError", phase: "schema" });
      expect(test.schemaItems).toHaveLength(3);

      const summary = await runMigration({ ...options, destination: test.destination });
      const ledger = Ledger.open(stateDir);
      const items = ledger.schemaItems([summary.runId]);
      ledger.close();
      expect(summary.resumed).toBe(true);
      expect(items.map((item) => item.id).sort()).toEqual(
        test.schemaItems.map((item) => item.id).sort(),
      );
    });

    it("halts when transient failures persist", async () => {
      const { options, stateDir } = await setup();
      const test = makeTestDestination({
        fault: (call) =>
          call.method === "write" && call.kind === "person" ? failure("timeout") : undefined,
      });
      const run = runMigration({ ...options, destination: test.destination, maxAttempts: 3 });
      await expect(run).rejects.toMatchObject({
        _tag: "RunHaltedError",
        reason: "unavailable",
        phase: "person",
      });
      expect(test.calls("write")).toBe(1 + 3);

      const ledger = Ledger.open(stateDir);
      expect(ledger.runs().at(-1)?.status).toBe("halted");
      expect(ledger.journal.allOpen()).toHaveLength(4);
      ledger.close();
    });

    it("leaves a halted run resumable after a dry run", async () => {
      const { options } = await setup();
      const test = makeTestDestination({
        fault: (call) =>
          call.method === "write" && call.kind === "deal" ? failure("forbidden") : undefined,
      });
      await expect(
        runMigration({ ...options, destination: test.destination }),
      ).rejects.toBeInstanceOf(RunHaltedError);
      await runMigration({ ...options, destination: test.destination, dryRun: true });

      const healthy = makeTestDestination({ store: test.store });
      const summary = await runMigration({ ...options, destination: healthy.destination });
      expect(summary).toMatchObject({ runId: 1, resumed: true });
      expect(refsOf(test.records())).toHaveLength(21);
    });

    it("marks the run failed when the source fails", async () => {
      const { options, stateDir } = await setup();
      const broken = {
        ...options.source,
        read: (kind: string) =>
          kind === "deal"
            ? Stream.fail(
                new SourceError({ reason: "unreadable", path: "deal.csv", detail: "disk error" }),
              )
            : options.source.read(kind),
      };
      const run = runMigration({ ...options, source: broken });
      await expect(run).rejects.toBeInstanceOf(SourceError);

      const ledger = Ledger.open(stateDir);
      expect(ledger.runs()[0]).toMatchObject({ status: "failed", haltReason: "SourceError" });
      ledger.close();
      const summary = await runMigration(options);
      expect(summary).toMatchObject({ runId: 2, resumed: false });
    });

    it("halts when the daily budget is spent", async () => {
      const { options } = await setup();
      const run = runMigration({
        ...options,
        destination: (tokens) => makeTestDestination({ tokens, tokensPerWrite: 10 }).destination,
        dailyTokenBudget: 30,
      });
      await expect(run).rejects.toMatchObject({ _tag: "RunHaltedError", reason: "budget" });
    });

    it("counts the users already in the account", async () => {
      const { options, stateDir } = await setup();
      const first = await runMigration(options);
      const second = await runMigration(options);

      const ledger = Ledger.open(stateDir);
      expect(ledger.checkpoint(first.runId, "users")?.counts).toEqual({
        created: 1,
        alreadyInAccount: 0,
      });
      expect(ledger.checkpoint(second.runId, "users")?.counts).toEqual({
        created: 0,
        alreadyInAccount: 1,
      });
      ledger.close();
    });

    it("counts two runs of one day apart", async () => {
      const { options, stateDir } = await setup();
      const test = makeTestDestination();
      const { fault, count } = countCalls();
      // The factory adds 90 tokens before the run has an id, as the reference pipeline does
      // with the schema read it makes before the run.
      const destination = (tokens: TokenAccount) => {
        tokens.add(90);
        return makeTestDestination({ store: test.store, tokens, tokensPerWrite: 10, fault })
          .destination;
      };
      const first = await runMigration({ ...options, destination });
      const writesOfFirst = count("write");
      const source = sourceWithNewCompany(3);
      const second = await runMigration({ ...options, destination, source });

      const writesOfSecond = count("write") - writesOfFirst;
      const day = utcDay(Date.now());
      expect(second.runId).not.toBe(first.runId);
      expect(first.tokens.byDay).toEqual([
        { day, migrate: 90 + 10 * writesOfFirst, verify: 0, total: 90 + 10 * writesOfFirst },
      ]);
      expect(second.tokens.total).toBe(90 + 10 * writesOfSecond);
      const ledger = Ledger.open(stateDir);
      expect(ledger.tokens.ofRun(first.runId)).toEqual(first.tokens);
      expect(ledger.tokens.ofRun(second.runId)).toEqual(second.tokens);
      expect(ledger.tokensSpent(day)).toBe(first.tokens.total + second.tokens.total);
      ledger.close();
    });

    it("counts a resumed run's attempts together", async () => {
      const { options, stateDir } = await setup();
      const test = makeTestDestination();
      const { fault, count } = countCalls();
      const destination = (tokens: TokenAccount) =>
        makeTestDestination({ store: test.store, tokens, tokensPerWrite: 10, fault }).destination;
      await expect(
        runMigration({ ...options, destination, dailyTokenBudget: 30 }),
      ).rejects.toBeInstanceOf(RunHaltedError);
      const writesBeforeHalt = count("write");

      const summary = await runMigration({ ...options, destination, dailyTokenBudget: 100_000 });
      expect(summary.resumed).toBe(true);
      expect(writesBeforeHalt).toBeGreaterThan(0);
      expect(count("write")).toBeGreaterThan(writesBeforeHalt);
      expect(summary.tokens.migrate).toBe(10 * count("write"));
      const ledger = Ledger.open(stateDir);
      expect(ledger.tokensSpent(utcDay(Date.now()))).toBe(summary.tokens.total);
      ledger.close();
    });

    it("counts no tokens for a destination object", async () => {
      const { options } = await setup();
      const summary = await runMigration(options);
      expect(summary.tokens).toEqual({
        migrate: 0,
        verify: 0,
        total: 0,
        byDay: [],
        complete: true,
      });
    });

    it("resumes a budget halt with a larger budget", async () => {
      const { options } = await setup();
      const test = makeTestDestination();
      const destination = (tokens: TokenAccount) =>
        makeTestDestination({ store: test.store, tokens, tokensPerWrite: 10 }).destination;
      await expect(
        runMigration({ ...options, destination, dailyTokenBudget: 30 }),
      ).rejects.toBeInstanceOf(RunHaltedError);
      expect(test.records().length).toBeLessThan(21);

      const summary = await runMigration({ ...options, destination, dailyTokenBudget: 100_000 });
      expect(summary.resumed).toBe(true);
      expect(refsOf(test.records())).toHaveLength(21);
    });

    it("halts outside the time window", async () => {
      const { options, test } = await setup();
      const hour = new Date().getUTCHours();
      const start = `${String((hour + 2) % 24).padStart(2, "0")}:00`;
      const end = `${String((hour + 3) % 24).padStart(2, "0")}:00`;
      const run = runMigration({
        ...options,
        window: { start, end, timeZone: "UTC" },
        outsideWindow: "halt",
      });
      await expect(run).rejects.toMatchObject({ _tag: "RunHaltedError", reason: "time-window" });
      expect(test.records()).toHaveLength(0);
    });

    it.effect("waits for the time window", () =>
      Effect.gen(function* () {
        // The test clock starts at 1970-01-01T00:00Z, one hour before the window opens.
        const { options, test } = yield* Effect.promise(() => setup());
        const events: Array<ProgressEvent> = [];
        const fiber = yield* migrate({
          ...options,
          window: { start: "01:00", end: "05:00", timeZone: "UTC" },
        }).pipe(Effect.provide(Progress.fromCallback((event) => events.push(event))), Effect.fork);
        while (!events.some((event) => event._tag === "RateLimitWait")) yield* Effect.yieldNow();
        expect(test.records()).toHaveLength(0);

        yield* TestClock.adjust("1 hour");
        const summary = yield* Fiber.join(fiber);
        expect(events.find((event) => event._tag === "RateLimitWait")).toMatchObject({
          waitMs: 3_600_000,
          reason: "time-window",
        });
        expect(summary.phases).toHaveLength(4);
        expect(test.records()).toHaveLength(21);
      }),
    );

    it("fails loudly when a phase does not reconcile", async () => {
      const { options, stateDir } = await setup();
      await runMigration(options);
      const ledger = Ledger.open(stateDir);
      const runId = ledger.runs().at(-1)?.id ?? 0;
      // A second journal entry for the same record is what a duplicate write leaves behind.
      const seq = ledger.journal.intent({
        runId,
        destKind: "person",
        ref: { kind: "contact", sourceId: "C1-1" },
        op: "create",
        payload: { fields: {}, custom: {}, links: {} },
        hash: "x",
      });
      ledger.journal.settle(seq, "done", "999");
      ledger.setCheckpoint(runId, "person", 11, "started");
      ledger.setRunStatus(runId, "running");
      ledger.close();

      const run = runMigration(options);
      await expect(run).rejects.toBeInstanceOf(ReconciliationError);
      await expect(run).rejects.toMatchObject({ phase: "person", read: 7, loaded: 7 });
    });
  });
});
