/**
 * v1 files: `multipart/form-data` uploads attached to a deal, person, organization, activity or
 * lead, their metadata, the download of their bytes and delete. The multipart body is parsed by the Fetch API's
 * `Request.formData()` that Node.js ships.
 */
import { ApiError, notFound, validationError } from "../ApiError.js";
import { type HandlerResult, intParam, ok, type RequestContext, type Route } from "../Http.js";
import { sliceV1, v1Page } from "../Paging.js";
import type { EntityCollection, FileRecord } from "../Store.js";
import { v1Time } from "../Time.js";

const parentKeys = [
  "deal_id",
  "person_id",
  "org_id",
  "product_id",
  "activity_id",
  "lead_id",
] as const;

/** Presents a file's metadata without its bytes. */
export const presentFile = (file: FileRecord): Record<string, unknown> => {
  const { content_base64: _content, ...metadata } = file;
  return {
    ...metadata,
    remote_location: "s3",
    remote_id: null,
    cid: null,
    s3_bucket: null,
    mail_message_id: null,
    mail_template_id: null,
    url: `/v1/files/${file.id}/download`,
  };
};

const readForm = async (context: RequestContext): Promise<FormData> => {
  if (!context.contentType.startsWith("multipart/form-data")) {
    throw new ApiError(400, "The request must be multipart/form-data with a file part");
  }
  const request = new Request("http://127.0.0.1/upload", {
    method: "POST",
    headers: { "content-type": context.contentType },
    body: context.rawBody,
  });
  try {
    return await request.formData();
  } catch {
    throw new ApiError(400, "The multipart/form-data body could not be parsed");
  }
};

const upload = async (context: RequestContext): Promise<HandlerResult> => {
  const form = await readForm(context);
  const file = form.get("file");
  if (file === null || typeof file === "string")
    throw validationError("file", "A file part is required");

  const collections = context.account.store.collections;
  const record: FileRecord = {
    id: 0,
    user_id: context.user.id,
    deal_id: null,
    person_id: null,
    org_id: null,
    product_id: null,
    activity_id: null,
    lead_id: null,
    add_time: v1Time(),
    update_time: v1Time(),
    file_name: file.name,
    file_type: file.name.includes(".") ? (file.name.split(".").pop() ?? "") : "",
    file_size: file.size,
    active_flag: true,
    inline_flag: false,
    name: file.name,
    description: null,
    content_base64: Buffer.from(await file.arrayBuffer()).toString("base64"),
  };

  for (const key of parentKeys) {
    const raw = form.get(key);
    if (raw === null || typeof raw !== "string" || raw === "") continue;
    if (key === "lead_id") {
      if (!collections.leads.has(raw))
        throw validationError(key, `Lead with id ${raw} does not exist`);
      record.lead_id = raw;
      continue;
    }
    if (!/^\d+$/.test(raw)) throw validationError(key, `Expected an integer id, got "${raw}"`);
    const id = Number(raw);
    const collectionByKey: Record<string, EntityCollection | undefined> = {
      deal_id: "deals",
      person_id: "persons",
      org_id: "organizations",
      activity_id: "activities",
      product_id: undefined,
    };
    const collection = collectionByKey[key];
    if (collection !== undefined && collections[collection].get(id)?.is_deleted !== false) {
      throw validationError(key, `Record with id ${id} does not exist`);
    }
    record[key] = id;
  }
  if (parentKeys.every((key) => record[key] === null)) {
    throw validationError(
      "",
      "One of deal_id, person_id, org_id, product_id, activity_id or lead_id is required",
    );
  }

  record.id = context.account.store.nextId("file");
  collections.files.set(record.id, record);
  context.account.store.changed("files", record.id);
  return ok(presentFile(record));
};

const requireFile = (context: RequestContext): FileRecord => {
  const file = context.account.store.collections.files.get(intParam(context, "id"));
  if (file === undefined || !file.active_flag) throw notFound("File");
  return file;
};

/** Routes of v1 files. */
export const fileRoutes: Array<Route> = [
  ["v1", "POST", "/files", upload],
  [
    "v1",
    "GET",
    "/files",
    (context) => {
      const page = v1Page(context.query);
      const files = [...context.account.store.collections.files.values()].filter(
        (file) => file.active_flag,
      );
      const slice = sliceV1(files.map(presentFile), {
        start: page.start,
        limit: Math.min(page.limit, 100),
      });
      return ok(slice.data, slice.additionalData);
    },
  ],
  ["v1", "GET", "/files/{id}", (context) => ok(presentFile(requireFile(context)))],
  [
    "v1",
    "GET",
    "/files/{id}/download",
    (context) => {
      const file = requireFile(context);
      return {
        body: null,
        raw: {
          contentType: "application/octet-stream",
          bytes: Buffer.from(file.content_base64, "base64"),
          fileName: file.file_name,
        },
      };
    },
  ],
  [
    "v1",
    "DELETE",
    "/files/{id}",
    (context) => {
      const file = requireFile(context);
      file.active_flag = false;
      context.account.store.changed("files", file.id);
      return ok({ id: file.id });
    },
  ],
];
