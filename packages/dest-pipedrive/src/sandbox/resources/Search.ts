/**
 * v2 search: persons (by name, e-mail, phone, custom field values), organizations (by name,
 * address, custom field values), deals and leads (by title), and the field search that finds
 * records whose one field equals, starts with or contains a term (case-sensitive). Searches see
 * new records at once, while Pipedrive's search index may lag; every search endpoint counts
 * against the 10-requests-per-2-seconds search window.
 */
import type { Account } from "../Account.js";
import { validationError } from "../ApiError.js";
import type { HandlerResult, RequestContext, Route } from "../Http.js";
import { pageV2, v2PageRules } from "../Paging.js";
import type { CustomValues, EntityCollection, EntityRecord, FieldEntity } from "../Store.js";
import { type ParsedQuery, parseQuery, type QueryRules } from "../Validation.js";

/** Custom field types whose values search can match. */
const searchableTypes = new Set([
  "address",
  "varchar",
  "text",
  "varchar_auto",
  "double",
  "monetary",
  "phone",
]);

const readSearch = (
  context: RequestContext,
  fields: ReadonlyArray<string>,
  extra: QueryRules = {},
) => {
  const query = parseQuery(context.query, {
    ...v2PageRules,
    term: { type: "string" },
    fields: { type: "string" },
    exact_match: { type: "boolean" },
    ...extra,
  });
  const term = query.term;
  if (typeof term !== "string") throw validationError("term", "Parameter is required");
  const exact = query.exact_match === true;
  if (term.trim().length < (exact ? 1 : 2)) {
    throw validationError("term", `The term must be at least ${exact ? 1 : 2} characters long`);
  }
  const chosen =
    typeof query.fields === "string"
      ? query.fields.split(",").map((field) => field.trim())
      : [...fields];
  for (const field of chosen) {
    if (!fields.includes(field))
      throw validationError("fields", `Value must be one of ${fields.join(", ")}, got "${field}"`);
  }
  return { query, term: term.trim().toLowerCase(), exact, fields: new Set(chosen) };
};

const matchesText = (value: unknown, term: string, exact: boolean): boolean => {
  if (value === null || value === undefined) return false;
  const text = String(value).toLowerCase();
  return exact ? text === term : text.includes(term);
};

const customTexts = (
  account: Account,
  entity: FieldEntity,
  values: CustomValues,
): Array<string> => {
  const texts: Array<string> = [];
  for (const field of account.customFields(entity)) {
    const value = values[field.field_code];
    if (value === null || value === undefined || !searchableTypes.has(field.field_type)) continue;
    texts.push(
      typeof value === "object"
        ? String((value as { value?: unknown }).value ?? "")
        : String(value),
    );
  }
  return texts;
};

const paged = (
  query: ParsedQuery,
  records: Iterable<EntityRecord>,
  keep: (record: EntityRecord) => boolean,
  present: (record: EntityRecord) => unknown,
): HandlerResult => {
  const page = pageV2(records, keep, query);
  return {
    body: {
      success: true,
      data: { items: page.items.map((record) => ({ result_score: 1, item: present(record) })) },
      additional_data: { next_cursor: page.nextCursor },
    },
  };
};

const organizationSummary = (account: Account, id: unknown): Record<string, unknown> | null => {
  const organization =
    typeof id === "number" ? account.store.collections.organizations.get(id) : undefined;
  if (organization === undefined || organization.is_deleted) return null;
  const address = organization.address as { value?: string } | null;
  return { id: organization.id, name: organization.name, address: address?.value ?? null };
};

const searchPersons = (context: RequestContext): HandlerResult => {
  const { query, term, exact, fields } = readSearch(
    context,
    ["custom_fields", "email", "notes", "phone", "name"],
    {
      organization_id: { type: "integer" },
      include_fields: { type: "string" },
    },
  );
  const account = context.account;
  const keep = (person: EntityRecord): boolean => {
    if (person.is_deleted) return false;
    if (query.organization_id !== undefined && person.org_id !== query.organization_id)
      return false;
    const emails = (person.emails as Array<{ value: string }>).map((email) => email.value);
    const phones = (person.phones as Array<{ value: string }>).map((phone) => phone.value);
    return (
      (fields.has("name") && matchesText(person.name, term, exact)) ||
      (fields.has("email") && emails.some((email) => matchesText(email, term, exact))) ||
      (fields.has("phone") && phones.some((phone) => matchesText(phone, term, exact))) ||
      (fields.has("notes") && matchesText(person.notes, term, exact)) ||
      (fields.has("custom_fields") &&
        customTexts(account, "person", person.custom_fields as CustomValues).some((text) =>
          matchesText(text, term, exact),
        ))
    );
  };
  return paged(query, account.store.collections.persons.values(), keep, (person) => ({
    id: person.id,
    type: "person",
    name: person.name,
    phones: (person.phones as Array<{ value: string }>).map((phone) => phone.value),
    emails: (person.emails as Array<{ value: string }>).map((email) => email.value),
    visible_to: person.visible_to,
    owner: { id: person.owner_id },
    organization: organizationSummary(account, person.org_id),
    custom_fields: customTexts(account, "person", person.custom_fields as CustomValues),
    notes: [],
  }));
};

const searchOrganizations = (context: RequestContext): HandlerResult => {
  const { query, term, exact, fields } = readSearch(context, [
    "address",
    "custom_fields",
    "notes",
    "name",
  ]);
  const account = context.account;
  const keep = (organization: EntityRecord): boolean => {
    if (organization.is_deleted) return false;
    const address = (organization.address as { value?: string } | null)?.value;
    return (
      (fields.has("name") && matchesText(organization.name, term, exact)) ||
      (fields.has("address") && matchesText(address, term, exact)) ||
      (fields.has("custom_fields") &&
        customTexts(account, "organization", organization.custom_fields as CustomValues).some(
          (text) => matchesText(text, term, exact),
        ))
    );
  };
  return paged(query, account.store.collections.organizations.values(), keep, (organization) => ({
    id: organization.id,
    type: "organization",
    name: organization.name,
    address: (organization.address as { value?: string } | null)?.value ?? null,
    visible_to: organization.visible_to,
    owner: { id: organization.owner_id },
    custom_fields: customTexts(account, "organization", organization.custom_fields as CustomValues),
    notes: [],
  }));
};

const searchDeals = (context: RequestContext): HandlerResult => {
  const { query, term, exact, fields } = readSearch(context, ["custom_fields", "notes", "title"], {
    person_id: { type: "integer" },
    organization_id: { type: "integer" },
    status: { type: "string", oneOf: ["open", "won", "lost"] },
    include_fields: { type: "string" },
  });
  const account = context.account;
  const keep = (deal: EntityRecord): boolean => {
    if (deal.is_deleted) return false;
    if (query.person_id !== undefined && deal.person_id !== query.person_id) return false;
    if (query.organization_id !== undefined && deal.org_id !== query.organization_id) return false;
    if (query.status !== undefined && deal.status !== query.status) return false;
    return (
      (fields.has("title") && matchesText(deal.title, term, exact)) ||
      (fields.has("custom_fields") &&
        customTexts(account, "deal", deal.custom_fields as CustomValues).some((text) =>
          matchesText(text, term, exact),
        ))
    );
  };
  return paged(query, account.store.collections.deals.values(), keep, (deal) => {
    const person =
      typeof deal.person_id === "number"
        ? account.store.collections.persons.get(deal.person_id)
        : undefined;
    const stage =
      typeof deal.stage_id === "number"
        ? account.store.collections.stages.get(deal.stage_id)
        : undefined;
    return {
      id: deal.id,
      type: "deal",
      title: deal.title,
      value: deal.value,
      currency: deal.currency,
      status: deal.status,
      visible_to: deal.visible_to,
      owner: { id: deal.owner_id },
      stage: stage === undefined ? null : { id: stage.id, name: stage.name },
      person: person === undefined ? null : { id: person.id, name: person.name },
      organization: organizationSummary(account, deal.org_id),
      custom_fields: customTexts(account, "deal", deal.custom_fields as CustomValues),
      notes: [],
    };
  });
};

/** The value of a record's field as the field search compares it. */
const fieldText = (
  record: Record<string, unknown>,
  custom: CustomValues | undefined,
  field: string,
): string | undefined => {
  const value = custom !== undefined && field in custom ? custom[field] : record[field];
  if (value === null || value === undefined) return undefined;
  if (typeof value === "object" && !Array.isArray(value))
    return String((value as { value?: unknown }).value ?? "");
  return String(value);
};

const searchField = (context: RequestContext): HandlerResult => {
  const query = parseQuery(context.query, {
    ...v2PageRules,
    term: { type: "string" },
    entity_type: {
      type: "string",
      oneOf: ["deal", "lead", "person", "organization", "product", "project"],
    },
    match: { type: "string", oneOf: ["exact", "beginning", "middle"] },
    field: { type: "string" },
  });
  for (const name of ["term", "entity_type", "field"]) {
    if (query[name] === undefined) throw validationError(name, "Parameter is required");
  }
  const term = query.term as string;
  const field = query.field as string;
  const match = (query.match as string | undefined) ?? "exact";
  const compare = (text: string | undefined): boolean =>
    text !== undefined &&
    (match === "exact"
      ? text === term
      : match === "beginning"
        ? text.startsWith(term)
        : text.includes(term));

  const account = context.account;
  const entity = query.entity_type as string;
  const fieldEntity = (entity === "lead" ? "deal" : entity) as FieldEntity;
  const definition =
    account.field(fieldEntity, field) ??
    (entity === "lead" && field === "title" ? { field_type: "varchar" } : undefined);
  if (definition === undefined)
    throw validationError("field", `Field "${field}" does not exist for ${entity}`);

  if (entity === "lead") {
    const leads = [...account.store.collections.leads.values()].filter((lead) =>
      compare(fieldText(lead as unknown as Record<string, unknown>, lead.custom, field)),
    );
    const limit = typeof query.limit === "number" ? query.limit : 100;
    return {
      body: {
        success: true,
        data: leads.slice(0, limit).map((lead) => ({ id: lead.id, title: lead.title })),
        additional_data: { next_cursor: null },
      },
    };
  }

  const collectionByEntity: Record<string, EntityCollection | undefined> = {
    deal: "deals",
    person: "persons",
    organization: "organizations",
  };
  const collection = collectionByEntity[entity];
  if (collection === undefined)
    return { body: { success: true, data: [], additional_data: { next_cursor: null } } };
  const page = pageV2(
    account.store.collections[collection].values(),
    (record) =>
      !record.is_deleted &&
      compare(fieldText(record, record.custom_fields as CustomValues | undefined, field)),
    query,
  );
  const data = page.items.map((record) =>
    entity === "deal"
      ? { id: record.id, title: record.title }
      : { id: record.id, name: record.name },
  );
  return { body: { success: true, data, additional_data: { next_cursor: page.nextCursor } } };
};

/** Routes of v2 search. */
export const searchRoutes: Array<Route> = [
  ["v2", "GET", "/persons/search", searchPersons],
  ["v2", "GET", "/organizations/search", searchOrganizations],
  ["v2", "GET", "/deals/search", searchDeals],
  ["v2", "GET", "/itemSearch/field", searchField],
];

/** Tells whether an operation counts against the search window. */
export const isSearchTemplate = (template: string): boolean =>
  template.endsWith("/search") || template.startsWith("/itemSearch");
