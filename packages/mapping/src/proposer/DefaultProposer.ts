/**
 * The default proposer: deterministic, and every choice carries its confidence and reason.
 * It maps columns by header synonyms and values, classifies stages, lists sources, tags and
 * owners, and routes Flash Lead objects to Pipedrive kinds.
 */
import type { Inventory } from "@ferry/core";
import { Effect } from "effect";

import type { MappingPlan, ObjectRoute } from "../Plan.js";
import { checkPlan, type PlanWarning } from "../PlanWarning.js";
import type { Proposal, ProposalInput, Proposer } from "./Proposer.js";
import { proposeFields } from "./proposeFields.js";
import {
  fallbackRegion,
  inferRegion,
  proposeFileSettings,
  type RegionDefaults,
} from "./proposeFileSettings.js";
import {
  invoicePipeline,
  proposeLeadSources,
  proposeOwners,
  proposeStages,
  proposeTags,
  tagSeparators,
} from "./proposeValues.js";

const routeTable: Readonly<Record<string, ObjectRoute>> = {
  lead: {
    from: "lead",
    to: ["organization", "person", "lead", "deal"],
    reason: "open stages become leads, pipeline stages deals, won or invoiced leads persons",
  },
  contact: {
    from: "contact",
    to: ["organization", "person"],
    reason: "a contact is a person, with its organization when it has a company",
  },
  invoice: {
    from: "invoice",
    to: ["deal"],
    reason: "each invoice becomes a deal in the invoice pipeline",
  },
  activity: {
    from: "activity",
    to: ["note", "activity"],
    reason: "stage transitions and notes become notes; calls, e-mails and meetings activities",
  },
  message_thread: {
    from: "message_thread",
    to: ["note"],
    reason: "a thread becomes a note on its person",
  },
  team_member: {
    from: "team_member",
    to: [],
    reason: "team members are matched to users by e-mail",
  },
};

/** Routes of the inventory's objects; unknown objects get an empty route to decide. */
const proposeRoutes = (inventory: Inventory): ReadonlyArray<ObjectRoute> =>
  inventory.objects.map(
    (object) =>
      routeTable[object.kind] ?? {
        from: object.kind,
        to: [],
        reason: `no route is known for ${object.kind}; add one by hand`,
      },
  );

/**
 * Warns about each object with records that have no owner, because the plan decides who owns
 * them through `defaultOwner`, which the proposer leaves for a person to choose.
 */
const ownerlessWarnings = (inventory: Inventory): ReadonlyArray<PlanWarning> =>
  inventory.findings
    .filter((finding) => finding.code === "missing-owner")
    .map((finding) => ({
      code: "missing-owner",
      message: `${finding.count ?? "some"} ${finding.kind ?? "source"} records have no owner; set defaultOwner in the plan to the e-mail of the Pipedrive user who should own them, otherwise the user of the API token owns them and the report lists each one`,
    }));

/** Options of the default proposer. */
export interface DefaultProposerOptions {
  /** Region settings used when the export does not show its own. */
  readonly region?: Partial<RegionDefaults>;
}

/** Drafts a plan from an inventory and, when known, the destination's schema. */
const draft = (input: ProposalInput, options: DefaultProposerOptions): Proposal => {
  const { inventory, destination } = input;
  const defaults = { ...fallbackRegion, ...options.region };
  const settings = proposeFileSettings(inventory, defaults, inferRegion(inventory));
  const fields = inventory.objects.flatMap((object) => proposeFields(object));
  const { stages, pipelines } = proposeStages(inventory, fields);

  const plan: MappingPlan = {
    version: 1,
    source: inventory.source,
    location: inventory.location,
    files: settings.files,
    routes: proposeRoutes(inventory),
    leadSplit: { invoiceMakesPerson: true, originalStageField: "fls_original_stage__c" },
    fields,
    stages,
    leadSources: { field: "Lead Source", values: proposeLeadSources(inventory, fields) },
    tags: { field: "Tags", separators: tagSeparators, values: proposeTags(inventory, fields) },
    owners: proposeOwners(inventory, fields, destination),
    pipelines,
    invoices: {
      pipeline: invoicePipeline.name,
      stage: invoicePipeline.stage,
      wonStatuses: ["paid", "pago", "pagado", "payé", "bezahlt"],
      lostStatuses: ["cancelled", "canceled", "cancelado", "void", "annulé", "storniert"],
    },
    visibility: {},
    dedupe: { keys: ["email", "phone"] },
    queue: { duplicates: true, ownersWithoutUser: true },
  };

  const review: Array<PlanWarning> = stages
    .filter((stage) => stage.review === true)
    .map((stage) => ({
      code: "stage-to-review",
      message: `stage "${stage.value}" matched no keyword; set its outcome before confirming`,
    }));
  const checked = destination === undefined ? [] : checkPlan(plan, destination);
  return {
    plan,
    warnings: [...settings.warnings, ...review, ...ownerlessWarnings(inventory), ...checked],
  };
};

/**
 * Makes the default proposer.
 *
 * @example
 * ```ts
 * const { plan } = yield* makeDefaultProposer({ region: { timeZone: "Europe/Lisbon" } }).propose({ inventory });
 * ```
 */
export const makeDefaultProposer = (options: DefaultProposerOptions = {}): Proposer => ({
  name: "default",
  propose: (input) => Effect.sync(() => draft(input, options)),
});

/** The default proposer with the built-in region defaults. */
export const defaultProposer: Proposer = makeDefaultProposer();
