import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/index.js";
import { routes } from "../../src/sandbox/Router.js";
import { validateFieldsResponse } from "./FieldsApiSchemas.js";
import {
  type ContractCheck,
  checkExchange,
  OpenApiDocument,
  specDir,
  specsPresent,
} from "./OpenApiContract.js";

// biome-ignore lint/suspicious/noExplicitAny: the responses are arbitrary JSON.
type AnyJson = any;

if (!specsPresent) {
  console.warn(`Skipping the OpenAPI contract tests: the documents are not in ${specDir}.`);
}

describe.skipIf(!specsPresent)("OpenAPI contract", () => {
  let sandbox: Sandbox;
  let documents: Record<"v1" | "v2", OpenApiDocument>;
  const checks: Array<ContractCheck> = [];

  const exchange = async (
    method: string,
    path: string,
    body?: unknown,
    form?: FormData,
  ): Promise<AnyJson> => {
    const headers: Record<string, string> = { "x-api-token": sandbox.adminToken };
    if (body !== undefined) headers["content-type"] = "application/json";
    const init: RequestInit = { method, headers };
    if (body !== undefined) init.body = JSON.stringify(body);
    if (form !== undefined) init.body = form;
    const response = await fetch(`${sandbox.url}${path}`, init);
    const answer = await response.json();
    const check = checkExchange(
      documents,
      method,
      path,
      body ?? form,
      form === undefined ? undefined : "multipart/form-data",
      response.status,
      answer,
    );
    checks.push(check);
    expect(response.status, `${method} ${path}: ${JSON.stringify(answer)}`).toBeLessThan(300);
    expect.soft(check.requestErrors, `${method} ${path} request`).toEqual([]);
    expect.soft(check.responseErrors, `${method} ${path} response`).toEqual([]);
    if (check.operation === "v1 GET /leadFields") {
      // Lead fields are the deal fields, so the v1 deal field list schema applies.
      const pointer = "/paths/~1dealFields/get/responses/200/content/application~1json/schema";
      expect
        .soft(documents.v1.validateAt(pointer, answer), `${method} ${path} response`)
        .toBeUndefined();
    } else if (!check.documented) {
      const error = validateFieldsResponse(check.operation, answer);
      expect.soft(error, `${method} ${path} response`).toBeUndefined();
    }
    return answer;
  };

  beforeAll(async () => {
    documents = { v1: new OpenApiDocument("v1"), v2: new OpenApiDocument("v2") };
    sandbox = await startSandbox({ timeScale: 1000 });
  }, 60_000);
  afterAll(() => sandbox.close());

  const ids: Record<string, number | string> = {};

  it("validates users", async () => {
    await exchange("GET", "/v1/users");
    await exchange("GET", "/v1/users/find?term=admin&search_by_email=1");
    await exchange("GET", "/api/v1/users/me");
    await exchange("GET", "/v1/users/1");
    const user = await exchange("POST", "/v1/users", {
      email: "rep@example.test",
      access: [{ app: "sales" }],
    });
    await exchange("PUT", `/v1/users/${user.data.id}`, { active_flag: false });
  });

  it("validates pipelines and stages", async () => {
    const pipeline = await exchange("POST", "/api/v2/pipelines", {
      name: "Sales",
      is_deal_probability_enabled: true,
    });
    ids.pipeline = pipeline.data.id;
    await exchange("GET", "/api/v2/pipelines?limit=10");
    await exchange("GET", `/api/v2/pipelines/${ids.pipeline}`);
    await exchange("PATCH", `/api/v2/pipelines/${ids.pipeline}`, { name: "Sales EU" });
    const stage = await exchange("POST", "/api/v2/stages", {
      name: "New",
      pipeline_id: ids.pipeline,
      deal_probability: 20,
    });
    ids.stage = stage.data.id;
    await exchange("GET", `/api/v2/stages?pipeline_id=${ids.pipeline}&sort_by=order_nr`);
    await exchange("GET", `/api/v2/stages/${ids.stage}`);
    await exchange("PATCH", `/api/v2/stages/${ids.stage}`, {
      name: "Fresh",
      days_to_rotten: 30,
      is_deal_rot_enabled: true,
    });
  });

  it("validates fields", async () => {
    for (const entity of ["deal", "person", "organization"]) {
      const field = await exchange("POST", `/api/v2/${entity}Fields`, {
        field_name: "Source",
        field_type: "enum",
        options: [{ label: "Web" }, { label: "Fair" }],
      });
      ids[`${entity}Field`] = field.data.field_code;
      ids[`${entity}Option`] = field.data.options[0].id;
      await exchange("POST", `/api/v2/${entity}Fields/${field.data.field_code}/options`, [
        { label: "Phone" },
      ]);
      await exchange("GET", `/api/v2/${entity}Fields?limit=500`);
      await exchange("GET", `/api/v2/${entity}Fields/${field.data.field_code}`);
      await exchange("PATCH", `/api/v2/${entity}Fields/${field.data.field_code}`, {
        field_name: "Lead source",
      });
      await exchange("PATCH", `/api/v2/${entity}Fields/${field.data.field_code}/options`, [
        { id: field.data.options[1].id, label: "Trade fair" },
      ]);
      await exchange("GET", `/v1/${entity}Fields?start=0&limit=100`);
    }
    for (const entity of ["deal", "person", "organization"]) {
      const spare = await exchange("POST", `/api/v2/${entity}Fields`, {
        field_name: "Spare",
        field_type: "set",
        options: [{ label: "x" }, { label: "y" }],
      });
      const code = spare.data.field_code;
      await exchange("DELETE", `/api/v2/${entity}Fields/${code}/options`, [
        { id: spare.data.options[0].id },
      ]);
      await exchange("DELETE", `/api/v2/${entity}Fields/${code}`);
    }
    await exchange("GET", "/v1/leadFields");
    await exchange("GET", "/v1/activityFields");
    await exchange("GET", "/v1/productFields");
    await exchange("GET", "/api/v2/activityFields");
    await exchange("GET", "/api/v2/activityFields/subject");
  });

  it("validates organizations, persons, deals and activities", async () => {
    const organization = await exchange("POST", "/api/v2/organizations", {
      name: "Acme BV",
      address: { value: "Main street 1, Utrecht" },
      custom_fields: { [ids.organizationField as string]: ids.organizationOption },
    });
    ids.organization = organization.data.id;
    await exchange("GET", `/api/v2/organizations?limit=500&ids=${ids.organization}`);
    await exchange("GET", `/api/v2/organizations/${ids.organization}`);
    await exchange("PATCH", `/api/v2/organizations/${ids.organization}`, { name: "Acme B.V." });

    const person = await exchange("POST", "/api/v2/persons", {
      name: "Ana Lima",
      org_id: ids.organization,
      emails: [{ value: "ana@example.test", primary: true, label: "work" }],
      phones: [{ value: "+31612345678", label: "mobile" }],
      add_time: "2021-03-04T09:30:00Z",
    });
    ids.person = person.data.id;
    await exchange(
      "GET",
      `/api/v2/persons?org_id=${ids.organization}&sort_by=update_time&sort_direction=desc`,
    );
    await exchange("GET", `/api/v2/persons/${ids.person}`);
    await exchange("PATCH", `/api/v2/persons/${ids.person}`, { name: "Ana Lima Souza" });

    const deal = await exchange("POST", "/api/v2/deals", {
      title: "Acme deal",
      person_id: ids.person,
      org_id: ids.organization,
      stage_id: ids.stage,
      value: 1500,
      currency: "EUR",
      status: "won",
      won_time: "2022-05-06T10:00:00Z",
      expected_close_date: "2022-05-01",
      custom_fields: { [ids.dealField as string]: ids.dealOption },
    });
    ids.deal = deal.data.id;
    await exchange("GET", `/api/v2/deals?status=won&updated_since=2000-01-01T00:00:00Z`);
    await exchange("GET", `/api/v2/deals/${ids.deal}`);
    await exchange("PATCH", `/api/v2/deals/${ids.deal}`, { value: 1750 });

    const activity = await exchange("POST", "/api/v2/activities", {
      subject: "Call Ana",
      type: "call",
      deal_id: ids.deal,
      participants: [{ person_id: ids.person, primary: true }],
      due_date: "2022-04-01",
      due_time: "09:30",
      duration: "00:30",
      done: true,
    });
    ids.activity = activity.data.id;
    await exchange("GET", `/api/v2/activities?deal_id=${ids.deal}&done=true`);
    await exchange("GET", `/api/v2/activities/${ids.activity}`);
    await exchange("PATCH", `/api/v2/activities/${ids.activity}`, { note: "<p>Talked</p>" });
  });

  it("validates search", async () => {
    await exchange(
      "GET",
      "/api/v2/persons/search?term=ana%40example.test&fields=email&exact_match=true",
    );
    await exchange("GET", "/api/v2/organizations/search?term=Acme&fields=name");
    await exchange("GET", "/api/v2/deals/search?term=Acme&fields=title");
    await exchange(
      "GET",
      "/api/v2/itemSearch/field?term=Acme&entity_type=organization&field=name&match=beginning",
    );
  });

  it("validates leads, labels and notes", async () => {
    const label = await exchange("POST", "/v1/leadLabels", { name: "Imported", color: "purple" });
    await exchange("GET", "/v1/leadLabels");
    await exchange("PATCH", `/v1/leadLabels/${label.data.id}`, { color: "green" });
    const lead = await exchange("POST", "/v1/leads", {
      title: "Ana's lead",
      person_id: ids.person,
      label_ids: [label.data.id],
      value: { amount: 300, currency: "EUR" },
      expected_close_date: "2023-01-01",
    });
    ids.lead = lead.data.id;
    await exchange("GET", `/v1/leads?person_id=${ids.person}&limit=500`);
    await exchange("GET", `/v1/leads/${ids.lead}`);
    await exchange("PATCH", `/v1/leads/${ids.lead}`, {
      title: "Ana's first lead",
      is_archived: true,
    });
    await exchange("GET", "/v1/leads/archived");

    const note = await exchange("POST", "/v1/notes", {
      content: "<p>Met at the fair</p>",
      deal_id: ids.deal,
      add_time: "2020-02-03 10:11:12",
      pinned_to_deal_flag: 1,
    });
    await exchange("GET", `/v1/notes?deal_id=${ids.deal}&pinned_to_deal_flag=1`);
    await exchange("GET", `/v1/notes/${note.data.id}`);
    await exchange("PUT", `/v1/notes/${note.data.id}`, { content: "<p>Met at the trade fair</p>" });
    await exchange("DELETE", `/v1/notes/${note.data.id}`);
    await exchange("DELETE", `/v1/leads/${ids.lead}`);
    await exchange("DELETE", `/v1/leadLabels/${label.data.id}`);
  });

  it("validates activity types and files", async () => {
    const type = await exchange("POST", "/v1/activityTypes", {
      name: "Site visit",
      icon_key: "car",
    });
    await exchange("GET", "/v1/activityTypes");
    await exchange("PUT", `/v1/activityTypes/${type.data.id}`, { color: "FF0000" });
    await exchange("DELETE", `/v1/activityTypes/${type.data.id}`);

    const form = new FormData();
    form.append("file", new Blob(["hello"], { type: "text/plain" }), "hello.txt");
    form.append("deal_id", String(ids.deal));
    const file = await exchange("POST", "/v1/files", undefined, form);
    await exchange("GET", "/v1/files?limit=100");
    await exchange("GET", `/v1/files/${file.data.id}`);
    const downloadPath = `/v1/files/${file.data.id}/download`;
    const download = await fetch(`${sandbox.url}${downloadPath}`, {
      headers: { "x-api-token": sandbox.adminToken },
    });
    expect(await download.text()).toBe("hello");
    const check = checkExchange(
      documents,
      "GET",
      downloadPath,
      undefined,
      undefined,
      download.status,
      null,
    );
    checks.push(check);
    expect(check.responseSchemaFound).toBe(false);
    await exchange("DELETE", `/v1/files/${file.data.id}`);
  });

  it("validates deletes", async () => {
    await exchange("DELETE", `/api/v2/activities/${ids.activity}`);
    await exchange("DELETE", `/api/v2/deals/${ids.deal}`);
    await exchange("DELETE", `/api/v2/persons/${ids.person}`);
    await exchange("DELETE", `/api/v2/organizations/${ids.organization}`);
    await exchange("DELETE", `/api/v2/stages/${ids.stage}`);
    await exchange("DELETE", `/api/v2/pipelines/${ids.pipeline}`);
  });

  it("exercises every implemented operation", () => {
    const exercised = new Set(checks.map((check) => check.operation));
    const implemented = routes.map(
      ([version, method, template]) => `${version} ${method} ${template}`,
    );
    const missing = implemented.filter((operation) => !exercised.has(operation));
    const documented = [
      ...new Set(checks.filter((check) => check.documented).map((check) => check.operation)),
    ].sort();
    const newer = [
      ...new Set(checks.filter((check) => !check.documented).map((check) => check.operation)),
    ].sort();
    const total = documents.v1.operations().length + documents.v2.operations().length;
    console.log(
      `Contract coverage: ${documented.length} of the ${total} operations of the OpenAPI documents\n` +
        documented.map((operation) => `  ${operation}`).join("\n") +
        `\nNewer than the documents, validated against the pipedrive 33.7.0 models (lead fields against the v1 deal field list): ${newer.length}\n` +
        newer.map((operation) => `  ${operation}`).join("\n"),
    );
    expect(missing).toEqual([]);
  });
});
