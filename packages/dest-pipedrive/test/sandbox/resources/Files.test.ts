import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../../src/sandbox/index.js";
import { clientFor } from "../client.js";

describe("Files", () => {
  let sandbox: Sandbox;
  let api: ReturnType<typeof clientFor>;

  beforeAll(async () => {
    sandbox = await startSandbox({ token: "admin-token", timeScale: 1000 });
    api = clientFor(sandbox.url, "admin-token");
  });
  afterAll(() => sandbox.close());

  const upload = (form: FormData) =>
    fetch(`${sandbox.url}/v1/files`, {
      method: "POST",
      headers: { "x-api-token": "admin-token" },
      body: form,
    });

  it("uploads a file attached to a person", async () => {
    const person = (await api.post("/api/v2/persons", { name: "Ana" })).body.data;
    const form = new FormData();
    form.append(
      "file",
      new Blob([Buffer.from("%PDF-1.4 test")], { type: "application/pdf" }),
      "contract.pdf",
    );
    form.append("person_id", String(person.id));
    const response = await upload(form);
    expect(response.status).toBe(200);
    const file = ((await response.json()) as { data: Record<string, unknown> }).data;
    expect(file.person_id).toBe(person.id);
    expect(file.file_name).toBe("contract.pdf");
    expect(file.file_size).toBe(13);
    expect((await api.get(`/v1/files/${file.id}`)).body.data.name).toBe("contract.pdf");

    const download = await fetch(`${sandbox.url}/v1/files/${file.id}/download`, {
      headers: { "x-api-token": "admin-token" },
    });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).toString()).toBe("%PDF-1.4 test");
    expect(download.headers.get("content-disposition")).toContain("contract.pdf");
  });

  it("uploads a file attached to a deal", async () => {
    const deal = (await api.post("/api/v2/deals", { title: "D" })).body.data;
    const form = new FormData();
    form.append("file", new Blob(["x"]), "x.txt");
    form.append("deal_id", String(deal.id));
    const answer = (await (await upload(form)).json()) as { data: { deal_id: number } };
    expect(answer.data.deal_id).toBe(deal.id);
  });

  it("rejects a file without a parent", async () => {
    const form = new FormData();
    form.append("file", new Blob(["x"]), "x.txt");
    const response = await upload(form);
    expect(response.status).toBe(400);
  });

  it("rejects a JSON body", async () => {
    expect((await api.post("/v1/files", { file: "x", deal_id: 1 })).status).toBe(400);
  });
});
