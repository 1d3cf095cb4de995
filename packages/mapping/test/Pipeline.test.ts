import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "@effect/vitest";
import {
  type DestinationSchema,
  type LossyStep,
  Origin,
  Rejection,
  type TransformOutput,
} from "@ferry/core";
import { Chunk, Effect, Stream } from "effect";
import { pipedriveRecordProblem } from "../src/PipedriveRecords.js";
import { buildPipeline } from "../src/Pipeline.js";
import type { MappingPlan } from "../src/Plan.js";
import { planHash } from "../src/planHash.js";
import { memoryStaging, records } from "./support/MemoryStaging.js";
import { asPlanned } from "./support/narrow.js";
import { samplePlan } from "./support/samplePlan.js";

const exportFolder = mkdtempSync(join(tmpdir(), "ferry-export-"));
mkdirSync(join(exportFolder, "attachments"));
writeFileSync(join(exportFolder, "attachments", "proposta.pdf"), "%PDF-1.4");

const leads = records("lead", [
  {
    id: "L1",
    full_name: "Ana Lima",
    email: "Ana@Example.test",
    phone: "(11) 91234-5678",
    company: "Açaí Ltda",
    stage: "Proposta",
    source: "Facebook",
    tags: "vip, expo",
    owner_email: "bia@example.test",
    value: "R$ 1.000,50",
    notes: "Pediu demo",
    created_at: "02/01/2024 10:00",
    updated_at: "20/01/2024 10:00",
    attachment: "proposta.pdf",
  },
  {
    id: "L2",
    full_name: "Bruno Reis",
    email: "bruno@example.test",
    company: "ACAI",
    stage: "Novo",
    owner_email: "caio@example.test",
    tags: "novo",
  },
  {
    id: "L3",
    full_name: "Carla Dias",
    email: "carla@example.test",
    stage: "Novo",
    owner_email: "bia@example.test",
  },
  {
    id: "L4",
    full_name: "Duda Alves",
    email: "ana@example.test",
    stage: "Ganho",
    owner_email: "bia@example.test",
  },
  {
    id: "L5",
    full_name: "Elis Melo",
    email: "elis@example.test",
    stage: "Novo",
    owner_email: "dora@example.test",
  },
  {
    id: "L6",
    full_name: "Fábio",
    email: "not-an-email",
    stage: "Esquecido",
    attachment: "falta.pdf",
  },
]);
const contacts = records("contact", [
  {
    id: "C1",
    full_name: "Gil Nunes",
    email: "gil@example.test",
    company: "Globo SA",
    owner_email: "bia@example.test",
  },
  { id: "C2", full_name: "Gil N.", email: "GIL@example.test" },
  { id: "C3", full_name: "Hana Sato", email: "hana@example.test" },
]);
const invoices = records("invoice", [
  {
    id: "I1",
    number: "2024-007",
    lead_id: "L3",
    amount: "R$ 2.500,00",
    currency: "",
    status: "pago",
    issue_date: "05/02/2024",
    paid_date: "10/02/2024",
  },
  { id: "I2", number: "2024-008", lead_id: "L9", contact_id: "C9", amount: "10", status: "aberto" },
]);
const activities = records("activity", [
  {
    id: "A2",
    lead_id: "L1",
    activity_kind: "stage_transition",
    from_stage: "Qualificado",
    to_stage: "Proposta",
    timestamp_iso: "2024-01-10T12:00:00Z",
  },
  {
    id: "A1",
    lead_id: "L1",
    activity_kind: "stage_transition",
    from_stage: "",
    to_stage: "Qualificado",
    timestamp_iso: "2024-01-05T12:00:00Z",
  },
  {
    id: "A3",
    lead_id: "L1",
    activity_kind: "call",
    timestamp_iso: "2024-01-06T09:30:00Z",
    duration: "15",
    text: "Ligação inicial",
  },
  {
    id: "A4",
    contact_id: "C3",
    activity_kind: "note",
    timestamp_iso: "2024-01-07T09:30:00Z",
    text: "Nota",
  },
  { id: "A5", lead_id: "L1", activity_kind: "meeting", timestamp_iso: "", timestamp: "ontem" },
]);
const threads = records("message_thread", [
  {
    id: "T1",
    contact_id: "C3",
    platform: "WhatsApp",
    thread: "Oi\nTudo bem?",
    last_message_at: "03/01/2024 08:00",
    message_count: "2",
  },
]);
const members = records("team_member", [
  { id: "M1", email: " Bia@Example.test ", active: "sim" },
  { id: "M2", email: "eva@example.test", active: "sim" },
  { id: "M3", email: "zeca@example.test", active: "não" },
]);
const staging = memoryStaging([
  ...leads,
  ...contacts,
  ...invoices,
  ...activities,
  ...threads,
  ...members,
]);

const runPlan = (plan: MappingPlan, schema?: DestinationSchema) =>
  Effect.runSync(
    Stream.runCollect(buildPipeline(plan, schema, { exportFolder }).transform(staging)),
  ).pipe(Chunk.toReadonlyArray);
const run = (schema?: DestinationSchema) => runPlan(samplePlan, schema);

/** A destination account with no users and no schema items. */
const emptySchema: DestinationSchema = {
  users: [],
  pipelines: [],
  fields: {},
  labels: [],
  activityTypes: [],
  limits: {},
};

const outputs = run();
const planned = (kind: string, sourceId: string) =>
  outputs.find((o) => o._tag === "PlannedRecord" && o.kind === kind && o.ref.sourceId === sourceId);
const tagged = <T extends TransformOutput["_tag"]>(tag: T) =>
  outputs.filter((o): o is Extract<TransformOutput, { _tag: T }> => o._tag === tag);

describe("Pipeline", () => {
  describe("buildPipeline", () => {
    it("names the plan hash, kinds and join indexes", () => {
      const pipeline = buildPipeline(samplePlan);
      expect(pipeline.planHash).toBe(planHash(samplePlan));
      expect(pipeline.sourceKinds).toEqual([
        "team_member",
        "lead",
        "contact",
        "invoice",
        "activity",
        "message_thread",
      ]);
      expect(pipeline.indexes.invoice).toEqual(["lead_id", "contact_id"]);
    });

    it("stages no object routed to no kind", () => {
      const plan = {
        ...samplePlan,
        routes: samplePlan.routes.map((route) =>
          route.from === "invoice" || route.from === "activity" ? { ...route, to: [] } : route,
        ),
      };
      const pipeline = buildPipeline(plan);
      expect(pipeline.sourceKinds).toEqual(["team_member", "lead", "contact", "message_thread"]);
      const fields = pipeline.schemaChanges.flatMap((change) =>
        change._tag === "EnsureField" ? [change.name] : [],
      );
      expect(fields).not.toContain("Invoice number");
      expect(fields).not.toContain("Time in stages");
    });

    it("asks for pipelines, fields, labels and added users", () => {
      const changes = buildPipeline(samplePlan).schemaChanges;
      const fields = changes.flatMap((c) =>
        c._tag === "EnsureField" ? [`${c.kind}:${c.name}:${c.type}`] : [],
      );
      expect(fields).toEqual(
        expect.arrayContaining([
          "person:fls_original_stage__c:varchar",
          "deal:fls_original_stage__c:varchar",
          "person:Lead Source:enum",
          "person:Tags:set",
          "deal:Invoice number:varchar",
          "deal:Invoice amount:monetary",
          "deal:Time in stages:text",
        ]),
      );
      const tags = changes.find((c) => c._tag === "EnsureField" && c.name === "Tags");
      expect(tags?._tag === "EnsureField" && tags.options).toEqual(["VIP", "Expo 2024"]);
      expect(changes.filter((c) => c._tag === "EnsureUser")).toEqual([
        { _tag: "EnsureUser", email: "eva@example.test", name: "Eva Souza", isActive: false },
      ]);
      expect(
        changes
          .filter((c) => c._tag === "EnsureLabel")
          .map((c) => c._tag === "EnsureLabel" && c.name),
      ).toEqual(["Novo"]);
      expect(changes.filter((c) => c._tag === "EnsurePipeline")).toHaveLength(2);
    });
  });

  describe("transform", () => {
    it("plans only records Pipedrive accepts", () => {
      for (const output of tagged("PlannedRecord")) {
        expect(
          pipedriveRecordProblem(output),
          `${output.kind} ${output.ref.sourceId}`,
        ).toBeUndefined();
      }
    });

    it("keeps every planned identity unique", () => {
      const keys = tagged("PlannedRecord").map((o) => `${o.kind}:${o.ref.kind}:${o.ref.sourceId}`);
      expect(new Set(keys).size).toBe(keys.length);
    });

    it("turns a pipeline-stage lead into a deal with its person and organization", () => {
      const deal = planned("deal", "L1");
      expect(asPlanned(deal).fields).toMatchObject({
        title: "Ana Lima (Açaí Ltda)",
        pipeline: "Vendas",
        stage: "Proposta",
        status: "open",
        probability: 60,
        value: 1000.5,
        currency: "BRL",
        owner: "bia@example.test",
      });
      expect(asPlanned(deal).links).toEqual({
        person_id: { kind: "lead", sourceId: "L1" },
        org_id: { kind: "organization", sourceId: "acai" },
      });
      const person = planned("person", "L1");
      expect(asPlanned(person).fields).toMatchObject({
        name: "Ana Lima",
        emails: [{ value: "ana@example.test", label: "work", primary: true }],
        phones: [{ value: "+5511912345678", label: "work", primary: true }],
        visible_to: 3,
      });
      expect(asPlanned(person).custom).toMatchObject({
        fls_original_stage__c: "Proposta",
        "Lead Source": "Facebook",
        Tags: ["VIP", "Expo 2024"],
      });
    });

    it("matches organizations by normalized name", () => {
      const orgs = tagged("PlannedRecord").filter((o) => o.kind === "organization");
      expect(orgs.map((o) => o.fields.name)).toEqual(["Açaí Ltda", "Globo SA"]);
      const lead = planned("lead", "L2");
      expect(asPlanned(lead).links.organization_id).toEqual({
        kind: "organization",
        sourceId: "acai",
      });
    });

    it("turns an open stage into a labeled lead owned by the mapped user", () => {
      const lead = planned("lead", "L2");
      expect(asPlanned(lead).fields).toMatchObject({
        title: "Bruno Reis (ACAI)",
        labels: ["Novo"],
        owner: "bia@example.test",
      });
      expect(asPlanned(lead).custom).toEqual({
        fls_original_stage__c: "Novo",
      });
    });

    it("records a tag the plan has no option for", () => {
      const lossy = tagged("LossyStep").find((o) => o.code === "tag-not-in-plan");
      expect(lossy?.value).toBe("novo");
      expect(lossy?.ref).toEqual({ kind: "lead", sourceId: "L2" });
    });

    it("makes a lead with an invoice a person with an invoice deal", () => {
      expect(planned("lead", "L3")).toBeUndefined();
      expect(planned("person", "L3")).toBeDefined();
      const deal = planned("deal", "I1");
      expect(asPlanned(deal).fields).toMatchObject({
        title: "Invoice 2024-007",
        value: 2500,
        currency: "BRL",
        status: "won",
        won_time: "2024-02-10T03:00:00Z",
        pipeline: "Faturas",
      });
      expect(asPlanned(deal).custom).toEqual({
        "Invoice number": "2024-007",
        "Invoice amount": { value: 2500, currency: "BRL" },
        "Invoice status": "pago",
        "Invoice issue date": "2024-02-05",
      });
    });

    it("queues a duplicate e-mail and links its deals to the first person", () => {
      const queued = tagged("QueuedRecord").filter((o) => o.reason === "duplicate-email");
      expect(queued.map((o) => o.ref.sourceId)).toEqual(["L4", "C2"]);
      expect(queued[1]?.value).toBe("gil@example.test");
    });

    it("holds every record of an owner without a user", () => {
      const held = tagged("QueuedRecord").filter((o) => o.reason === "owner-without-user");
      expect(held.map((o) => `${o.kind}:${o.ref.sourceId}`)).toEqual(
        expect.arrayContaining(["person:L5", "lead:L5", "user:M3"]),
      );
      expect(planned("person", "L5")).toBeUndefined();
    });

    it("writes the stage history as notes in time order", () => {
      const notes = tagged("PlannedRecord").filter(
        (o) => o.kind === "note" && o.ref.kind === "activity",
      );
      const history = notes.filter((o) => String(o.fields.content).includes("Stage_Transition"));
      expect(history.map((o) => o.fields.add_time)).toEqual([
        "2024-01-05T12:00:00Z",
        "2024-01-10T12:00:00Z",
      ]);
      expect(history[0]?.links).toEqual({ deal_id: { kind: "lead", sourceId: "L1" } });
      expect(history[0]?.linkKinds).toEqual({ deal_id: "deal" });
      const deal = planned("deal", "L1");
      expect(asPlanned(deal).custom).toMatchObject({
        "Time in stages": "Qualificado: 5 d; Proposta: 10 d",
        "Days in current stage": 10,
      });
    });

    it("turns a call into an activity with its original time", () => {
      const call = planned("activity", "A3");
      expect(asPlanned(call).fields).toMatchObject({
        type: "call",
        due_date: "2024-01-06",
        due_time: "09:30",
        duration: "00:15",
        done: true,
      });
      expect(asPlanned(call).links).toEqual({
        deal_id: { kind: "lead", sourceId: "L1" },
        person_id: { kind: "lead", sourceId: "L1" },
      });
    });

    it("rejects an activity without a time", () => {
      const rejection = tagged("Rejection").find((o) => o.sourceId === "A5");
      expect(rejection?.code).toBe("activity-without-time");
      expect(rejection?.value).toBe("ontem");
    });

    it("attaches a thread and a note to the contact's person", () => {
      const thread = planned("note", "T1");
      expect(asPlanned(thread).fields).toEqual({
        content: "<p>WhatsApp thread, 2 messages</p><p>Oi<br>Tudo bem?</p>",
        add_time: "2024-01-03T11:00:00Z",
      });
      expect(asPlanned(thread).links).toEqual({
        person_id: { kind: "contact", sourceId: "C3" },
      });
      expect(planned("note", "A4")).toBeDefined();
    });

    it("dates a notes column with the record's creation time", () => {
      const note = tagged("PlannedRecord").find(
        (o) => o.kind === "note" && o.ref.kind === "lead" && o.ref.sourceId === "L1",
      );
      expect(note?.fields).toMatchObject({
        content: "<p>Pediu demo</p>",
        add_time: "2024-01-02T13:00:00Z",
      });
    });

    it("attaches files found in the attachments folder and lists missing ones", () => {
      const file = tagged("PlannedRecord").find((o) => o.kind === "file");
      expect(file?.fields).toEqual({
        path: join(exportFolder, "attachments", "proposta.pdf"),
        name: "proposta.pdf",
      });
      expect(file?.links).toEqual({ deal_id: { kind: "lead", sourceId: "L1" } });
      const missing = tagged("LossyStep").find((o) => o.code === "attachment-missing");
      expect(missing?.value).toBe("falta.pdf");
      expect(missing?.ref).toEqual({ kind: "lead", sourceId: "L6" });
    });

    it("rejects a bad value with its origin and queues an unmapped stage", () => {
      const rejection = tagged("Rejection").find((o) => o.code === "invalid-email");
      expect(rejection).toMatchObject({
        kind: "lead",
        sourceId: "L6",
        column: "email",
        value: "not-an-email",
      });
      expect(`${rejection?.origin}`).toBe("leads.csv:7");
      expect(tagged("QueuedRecord").find((o) => o.reason === "unmapped-stage")?.value).toBe(
        "Esquecido",
      );
    });

    it("names a rejected value's column by the staged file's header", () => {
      const headers = new Map([["leads.csv", new Map([["email", "E-mail"]])]]);
      const named = { ...staging, columnHeaders: () => Effect.succeed(headers) };
      const all = Effect.runSync(
        Stream.runCollect(buildPipeline(samplePlan, undefined, { exportFolder }).transform(named)),
      ).pipe(Chunk.toReadonlyArray);
      const rejection = all
        .filter((o) => o._tag === "Rejection")
        .find((o) => o.code === "invalid-email");
      expect(rejection).toMatchObject({ column: "E-mail", value: "not-an-email" });
      expect(rejection?.message).toContain("leads.csv:7 column E-mail:");
    });

    it("rejects an invoice whose lead and contact are missing", () => {
      expect(tagged("Rejection").find((o) => o.sourceId === "I2")?.code).toBe("orphan-record");
    });

    it("holds owners mapped to users the account lacks", () => {
      const schema: DestinationSchema = {
        users: [],
        pipelines: [],
        fields: {},
        labels: [],
        activityTypes: [],
        limits: {},
      };
      const held = run(schema).filter(
        (o) => o._tag === "QueuedRecord" && o.kind === "deal" && o.ref.sourceId === "L1",
      );
      expect(held).toHaveLength(1);
    });

    it("resolves owners mapped to a user the plan adds", () => {
      const plan: MappingPlan = {
        ...samplePlan,
        owners: samplePlan.owners.map((owner) =>
          owner.email === "caio@example.test" ? { ...owner, user: "eva@example.test" } : owner,
        ),
      };
      const outputs = runPlan(plan, emptySchema);
      const queued = outputs.filter((o) => o._tag === "QueuedRecord" && o.ref.sourceId === "L2");
      expect(queued).toEqual([]);
      const lead = outputs.find(
        (o) => o._tag === "PlannedRecord" && o.kind === "lead" && o.ref.sourceId === "L2",
      );
      expect(asPlanned(lead).fields.owner).toBe("eva@example.test");
    });
  });

  describe("activity route", () => {
    const orphans = records("activity", [
      { id: "A8", lead_id: "L99", activity_kind: "note", timestamp_iso: "2024-02-01T10:00:00Z" },
      { id: "A9", lead_id: "L99", activity_kind: "call", timestamp_iso: "2024-02-01T11:00:00Z" },
    ]);
    const routed = (to: ReadonlyArray<string>) => {
      const plan: MappingPlan = {
        ...samplePlan,
        routes: samplePlan.routes.map((route) =>
          route.from === "activity" ? { ...route, to } : route,
        ),
      };
      const withOrphans = memoryStaging([
        ...leads,
        ...contacts,
        ...invoices,
        ...activities,
        ...orphans,
        ...threads,
        ...members,
      ]);
      return Effect.runSync(
        Stream.runCollect(buildPipeline(plan, undefined, { exportFolder }).transform(withOrphans)),
      ).pipe(Chunk.toReadonlyArray);
    };
    const fromLog = (outputs: ReadonlyArray<TransformOutput>, kind: string) =>
      outputs.filter(
        (o) => o._tag === "PlannedRecord" && o.kind === kind && o.ref.kind === "activity",
      );
    const rejectedIds = (outputs: ReadonlyArray<TransformOutput>) =>
      outputs.flatMap((o) => (o._tag === "Rejection" && o.kind === "activity" ? [o.sourceId] : []));

    it("keeps only activities under [activity]", () => {
      const outputs = routed(["activity"]);
      expect(fromLog(outputs, "note")).toEqual([]);
      expect(
        fromLog(outputs, "activity").map((o) => o._tag === "PlannedRecord" && o.ref.sourceId),
      ).toEqual(["A3"]);
      expect(rejectedIds(outputs)).toEqual(["A5", "A9"]);
    });

    it("keeps the time in stages under [activity]", () => {
      const deal = routed(["activity"]).find(
        (o) => o._tag === "PlannedRecord" && o.kind === "deal" && o.ref.sourceId === "L1",
      );
      expect(asPlanned(deal).custom["Time in stages"]).toBe("Qualificado: 5 d; Proposta: 10 d");
    });

    it("keeps only notes under [note]", () => {
      const outputs = routed(["note"]);
      expect(fromLog(outputs, "activity")).toEqual([]);
      expect(fromLog(outputs, "note").length).toBeGreaterThan(2);
      expect(rejectedIds(outputs)).toEqual(["A8"]);
    });
  });
});

describe("activity log owners and lost deals", () => {
  const lead = (id: string, stage: string, updated: string) => ({
    id,
    full_name: `Lead ${id}`,
    email: `${id.toLowerCase()}@example.test`,
    stage,
    owner_email: "eva@example.test",
    updated_at: updated,
  });
  const transition = (id: string, leadId: string, to: string, at: string, owner = "") => ({
    id,
    lead_id: leadId,
    activity_kind: "stage_transition",
    from_stage: "",
    to_stage: to,
    timestamp_iso: at,
    owner_email: owner,
  });
  const call = (id: string, owner: string) => ({
    id,
    lead_id: "P1",
    activity_kind: "call",
    timestamp_iso: "2024-01-03T10:00:00Z",
    owner_email: owner,
  });
  const staged = memoryStaging([
    ...records("lead", [
      lead("P1", "Perdido", "01/02/2024 10:00"),
      lead("P2", "Perdido", "01/02/2024 10:00"),
      lead("P3", "Perdido", ""),
      lead("P4", "Proposta", "01/02/2024 10:00"),
      { ...lead("P5", "Proposta", "01/02/2024 10:00"), owner_email: "dora@example.test" },
    ]),
    ...records("activity", [
      transition("T1", "P1", "Proposta", "2024-01-02T10:00:00Z", "bia@example.test"),
      transition("T2", "P1", "Perdido", "2024-01-20T15:00:00Z", "dora@example.test"),
      call("C1", "bia@example.test"),
      call("C2", " Caio@Example.test "),
      call("C3", "dora@example.test"),
      call("C4", "zeca@example.test"),
      call("C5", ""),
      transition("T3", "P4", "Qualificado", "2024-01-02T10:00:00Z"),
      transition("T4", "P4", "Proposta", ""),
      { ...call("C6", "zeca@example.test"), lead_id: "P5" },
    ]),
  ]);
  const outputs = Effect.runSync(
    Stream.runCollect(buildPipeline(samplePlan, undefined, { exportFolder }).transform(staged)),
  ).pipe(Chunk.toReadonlyArray);
  const find = (kind: string, sourceId: string) =>
    outputs.find(
      (o) => o._tag === "PlannedRecord" && o.kind === kind && o.ref.sourceId === sourceId,
    );
  const losses = (code: string) =>
    outputs.filter((o): o is LossyStep => o._tag === "LossyStep" && o.code === code);

  it("gives each activity the owner of its row", () => {
    expect(asPlanned(find("activity", "C1")).fields.owner).toBe("bia@example.test");
    expect(asPlanned(find("activity", "C2")).fields.owner).toBe("bia@example.test");
    expect(asPlanned(find("note", "T1")).fields.owner).toBe("bia@example.test");
  });

  it("gives a row without an owner the lead's owner", () => {
    expect(asPlanned(find("activity", "C5")).fields.owner).toBe("eva@example.test");
  });

  it("gives a row whose owner is held the lead's owner and records it", () => {
    expect(asPlanned(find("activity", "C3")).fields.owner).toBe("eva@example.test");
    expect(asPlanned(find("activity", "C4")).fields.owner).toBe("eva@example.test");
    expect(asPlanned(find("note", "T2")).fields.owner).toBe("eva@example.test");
    const steps = losses("owner-from-parent");
    expect(steps.map((o) => o.ref.sourceId)).toEqual(["T2", "C3", "C4"]);
    const held = steps.find((o) => o.ref.sourceId === "C3");
    expect(held).toHaveProperty("value", "dora@example.test");
    expect(held?.message ?? "").toContain("owner dora@example.test has no Pipedrive user");
    expect(held?.message ?? "").toContain("takes the owner of lead P1, eva@example.test");
    const queued = outputs.filter((o) => o._tag === "QueuedRecord");
    expect(queued.map((o) => o.ref.sourceId).sort()).toEqual(["C6", "P5", "P5"]);
  });

  it("queues a held lead's rows without an owner fallback", () => {
    expect(find("activity", "C6")).toBeUndefined();
    const queued = outputs.find((o) => o._tag === "QueuedRecord" && o.ref.sourceId === "C6");
    expect(queued).toHaveProperty("reason", "owner-without-user");
    expect(losses("owner-from-parent").map((o) => o.ref.sourceId)).not.toContain("C6");
  });

  it("dates a lost deal with its transition into the lost stage", () => {
    expect(asPlanned(find("deal", "P1")).fields).toMatchObject({
      status: "lost",
      lost_time: "2024-01-20T15:00:00Z",
    });
  });

  it("dates a lost deal without a transition with its last update", () => {
    expect(asPlanned(find("deal", "P2")).fields.lost_time).toBe("2024-02-01T13:00:00Z");
  });

  it("records a lost deal whose loss date is unknown", () => {
    expect(asPlanned(find("deal", "P3")).fields.lost_time).toBeUndefined();
    const steps = losses("lost-time-unknown");
    expect(steps.map((o) => o.ref.sourceId)).toEqual(["P3"]);
  });

  it("writes no current stage time when a transition was rejected", () => {
    expect(asPlanned(find("deal", "P4")).custom).not.toHaveProperty("Time in stages");
    expect(asPlanned(find("deal", "P4")).custom).not.toHaveProperty("Days in current stage");
    const steps = losses("stage-history-incomplete");
    expect(steps.map((o) => o.ref.sourceId)).toEqual(["P4"]);
    const rejected = outputs.find(
      (o): o is Rejection => o._tag === "Rejection" && o.sourceId === "T4",
    );
    expect(rejected).toHaveProperty("code", "activity-without-time");
  });
});

describe("records of a rejected lead", () => {
  const rejectedLead = Rejection.make({
    kind: "lead",
    origin: new Origin({ file: "leads.csv", line: 15 }),
    code: "long-row",
    message: "leads.csv line 15 has 22 cells but the header has 21",
    sourceId: "L13",
  });
  const children = [
    ...records("invoice", [
      { id: "I1", lead_id: "L13", amount: "10", status: "aberto" },
      { id: "I2", lead_id: "L99", amount: "10", status: "aberto" },
      { id: "I3", lead_id: "L98", contact_id: "C98", amount: "10", status: "aberto" },
    ]),
    ...records("message_thread", [{ id: "M1", lead_id: " L13 ", platform: "WhatsApp" }]),
  ];
  const outputs = Effect.runSync(
    Stream.runCollect(
      buildPipeline(samplePlan, undefined, { exportFolder }).transform(
        memoryStaging(children, [rejectedLead]),
      ),
    ),
  ).pipe(Chunk.toReadonlyArray);
  const rejection = (sourceId: string) =>
    outputs.find((o): o is Rejection => o._tag === "Rejection" && o.sourceId === sourceId);

  it("points to the rejected lead's row", () => {
    const invoice = rejection("I1");
    expect(invoice).toHaveProperty("code", "parent-rejected");
    expect(invoice).toHaveProperty(
      "message",
      "invoices.csv:2: its lead L13 was rejected (leads.csv:15, long-row), so the invoice has no record to belong to; fix that row and this one follows it",
    );
    const thread = rejection("M1");
    expect(thread).toHaveProperty("code", "parent-rejected");
    expect(thread?.message ?? "").toContain("so the message thread has");
  });

  it("names only the ids a record has when its lead is missing", () => {
    const invoice = rejection("I2");
    expect(invoice).toHaveProperty("code", "orphan-record");
    expect(invoice).toHaveProperty(
      "message",
      'invoices.csv:3: lead "L99" is not in the export, so the invoice has no record to belong to; add the lead or contact to the export, or correct the id',
    );
    const both = rejection("I3");
    expect(both?.message ?? "").toContain('lead "L98" and contact "C98" are not in the export');
  });
});
