/**
 * A Flash Lead invoice planned as a deal: title from its number, value and currency from its
 * amount, status from the plan's invoice statuses, and custom fields for the invoice number,
 * amount, status and issue date. It links to the person and organization of its lead or
 * contact.
 */
import type {
  FieldValue,
  LossyStep,
  PlannedRecord,
  RecordRef,
  Rejection,
  SourceRecord,
} from "@ferry/core";
import { makeLossy, makePlanned } from "../internal/outputs.js";
import { normalizeDate } from "../normalize/normalizeDate.js";
import { parseMoney } from "../normalize/parseMoney.js";
import { mapFields, refOf, valueRejection } from "./MappedFields.js";
import type { TransformContext } from "./TransformContext.js";

/** Names of the custom deal fields an invoice fills. */
export const invoiceFields = {
  number: "Invoice number",
  amount: "Invoice amount",
  status: "Invoice status",
  issueDate: "Invoice issue date",
} as const;

/** The person, organization and owner an invoice's deal links to. */
export interface InvoiceLinks {
  readonly person: RecordRef | undefined;
  readonly org: RecordRef | undefined;
  readonly owner: string | undefined;
}

const lower = (values: ReadonlyArray<string>) => values.map((value) => value.trim().toLowerCase());

/** The deal status and close time of an invoice status. */
const statusOf = (
  status: string,
  paidAt: string | undefined,
  context: TransformContext,
): Record<string, FieldValue> => {
  const key = status.trim().toLowerCase();
  if (lower(context.plan.invoices.wonStatuses).includes(key)) {
    return { status: "won", ...(paidAt === undefined ? {} : { won_time: paidAt }) };
  }
  if (lower(context.plan.invoices.lostStatuses).includes(key)) return { status: "lost" };
  return { status: "open" };
};

/**
 * Returns the lossy step of a won or lost invoice deal that has no date for its outcome, because
 * Pipedrive then dates the win or the loss at the time of the migration.
 */
const undatedOutcome = (
  record: SourceRecord,
  number: string,
  status: string,
  outcome: FieldValue | undefined,
  paid: string | undefined,
): LossyStep | undefined => {
  if (outcome === "won" && paid === undefined) {
    return makeLossy({
      ref: refOf(record),
      origin: record.origin,
      field: "paid_date",
      code: "won-time-unknown",
      message: `${record.origin}: invoice ${number} has the status "${status}", which the plan counts as won, but its paid date is empty or not a date, so Pipedrive sets the deal's won time to the time of the migration. Fill in the paid date to date the win`,
      value: record.fields.paid_date ?? "",
    });
  }
  if (outcome !== "lost") return undefined;
  return makeLossy({
    ref: refOf(record),
    origin: record.origin,
    field: "status",
    code: "lost-time-unknown",
    message: `${record.origin}: invoice ${number} has the status "${status}", which the plan counts as lost, but the export has no date of the loss, so Pipedrive sets the deal's lost time to the time of the migration`,
    value: status,
  });
};

/** Types one date column of an invoice, pushing a rejection when it is not a date. */
const invoiceDate = (
  record: SourceRecord,
  column: string,
  context: TransformContext,
  problems: Array<Rejection>,
): { date: string; timestamp: string } | undefined => {
  const raw = record.fields[column]?.trim() ?? "";
  if (raw === "") return undefined;
  const settings = context.settings("invoice");
  const parsed = normalizeDate(raw, settings.dateOrder, settings.timeZone);
  if (parsed.ok) return parsed.value;
  problems.push(valueRejection(record, column, raw, parsed.reason, parsed.message, context));
  return undefined;
};

/**
 * Plans the deal of one invoice.
 *
 * @example
 * ```ts
 * // invoice { number: "2024-007", amount: "R$ 1.000,50", status: "paid" } in a pt-BR export
 * planInvoice(invoice, links, context).deal?.fields;
 * // { title: "Invoice 2024-007", value: 1000.5, currency: "BRL", status: "won", pipeline: "Invoices", stage: "Issued" }
 * ```
 */
export const planInvoice = (
  record: SourceRecord,
  links: InvoiceLinks,
  context: TransformContext,
): { deal: PlannedRecord; problems: ReadonlyArray<Rejection | LossyStep> } => {
  const problems: Array<Rejection> = [];
  const settings = context.settings("invoice");
  const number = record.fields.number?.trim() || record.sourceId;
  const status = record.fields.status?.trim() ?? "";
  const rawAmount = record.fields.amount?.trim() ?? "";
  const rawCurrency = record.fields.currency?.trim() ?? "";
  const isCode = /^[A-Za-z]{3}$/.test(rawCurrency);
  if (rawCurrency !== "" && !isCode) {
    const message = `"${rawCurrency}" is not an ISO 4217 currency code; the amount is read in ${settings.defaultCurrency}`;
    const code = "invalid-currency";
    problems.push(valueRejection(record, "currency", rawCurrency, code, message, context));
  }
  const currency = isCode ? rawCurrency.toUpperCase() : settings.defaultCurrency;

  const amount =
    rawAmount === "" ? undefined : parseMoney(rawAmount, settings.numberLocale, currency);
  if (amount !== undefined && !amount.ok) {
    const { reason, message } = amount;
    problems.push(valueRejection(record, "amount", rawAmount, reason, message, context));
  }
  const money = amount?.ok === true ? amount.value : undefined;
  const issued = invoiceDate(record, "issue_date", context, problems);
  const paid = invoiceDate(record, "paid_date", context, problems);
  const due = invoiceDate(record, "due_date", context, problems);

  const outcome = statusOf(status, paid?.timestamp, context);
  const undated = undatedOutcome(record, number, status, outcome.status, paid?.timestamp);

  const mapped = mapFields(record, "deal", context);
  const visibleTo = context.plan.visibility.deal;
  const fields: Record<string, FieldValue> = {
    ...mapped.fields,
    title: `Invoice ${number}`,
    pipeline: context.plan.invoices.pipeline,
    stage: context.plan.invoices.stage,
    ...outcome,
    ...(money === undefined ? {} : { value: money.value, currency: money.currency }),
    ...(due === undefined ? {} : { expected_close_date: due.date }),
    ...(links.owner === undefined ? {} : { owner: links.owner }),
    ...(visibleTo === undefined ? {} : { visible_to: visibleTo }),
  };
  const custom: Record<string, FieldValue> = {
    ...mapped.custom,
    [invoiceFields.number]: number,
    ...(money === undefined
      ? {}
      : { [invoiceFields.amount]: { value: money.value, currency: money.currency } }),
    ...(status === "" ? {} : { [invoiceFields.status]: status }),
    ...(issued === undefined ? {} : { [invoiceFields.issueDate]: issued.date }),
  };

  const deal = makePlanned({
    kind: "deal",
    ref: refOf(record),
    origin: record.origin,
    fields,
    custom,
    links: {
      ...(links.person === undefined ? {} : { person_id: links.person }),
      ...(links.org === undefined ? {} : { org_id: links.org }),
    },
    linkKinds: {
      ...(links.person === undefined ? {} : { person_id: "person" }),
      ...(links.org === undefined ? {} : { org_id: "organization" }),
    },
  });
  const lossy = undated === undefined ? [] : [undated];
  return { deal, problems: [...mapped.problems, ...problems, ...lossy] };
};
