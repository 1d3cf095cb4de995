/**
 * The Flash Lead lead split: what a source lead becomes, from its stage and whether it has an
 * invoice. Open or unqualified stages become Pipedrive leads, pipeline stages become deals,
 * closed-won (and any lead with an invoice) becomes a customer person, and lost stages become
 * lost deals.
 */
import type { StageMapping } from "../Plan.js";
import type { TransformContext } from "./TransformContext.js";

/** The outcome of one source lead. */
export type LeadOutcome =
  | { readonly _tag: "Lead"; readonly stage: string; readonly label?: string }
  | {
      readonly _tag: "Deal";
      readonly stage: string;
      readonly status: "open" | "lost";
      readonly pipeline: string;
      readonly pipelineStage: string;
      readonly probability?: number;
    }
  | { readonly _tag: "Customer"; readonly stage: string }
  | { readonly _tag: "Unmapped"; readonly stage: string; readonly message: string };

const dealIn = (
  mapping: StageMapping,
  status: "open" | "lost",
  context: TransformContext,
): LeadOutcome => {
  const pipeline =
    context.plan.pipelines.find((entry) => entry.name === mapping.pipeline) ??
    context.plan.pipelines[0];
  const stages = pipeline?.stages ?? [];
  const wanted = stages.find((entry) => entry.name === mapping.stage);
  const stage = wanted ?? (status === "lost" ? stages[stages.length - 1] : stages[0]);
  if (pipeline === undefined || stage === undefined) {
    const message = `stage "${mapping.value}" goes to a deal but the plan has no pipeline ${mapping.pipeline ?? ""} with stage ${mapping.stage ?? ""}`;
    return { _tag: "Unmapped", stage: mapping.value, message };
  }
  return {
    _tag: "Deal",
    stage: mapping.value,
    status,
    pipeline: pipeline.name,
    pipelineStage: stage.name,
    ...(stage.probability === undefined ? {} : { probability: stage.probability }),
  };
};

/**
 * Decides what a lead with this stage becomes.
 *
 * @example
 * ```ts
 * splitLead("Proposta", false, context); // { _tag: "Deal", pipeline: "Vendas", pipelineStage: "Proposta", status: "open", ... }
 * splitLead("Novo", true, context); // { _tag: "Customer", stage: "Novo" }
 * ```
 */
export const splitLead = (
  stage: string,
  hasInvoice: boolean,
  context: TransformContext,
): LeadOutcome => {
  const value = stage.trim();
  if (hasInvoice && context.plan.leadSplit.invoiceMakesPerson)
    return { _tag: "Customer", stage: value };

  const mapping = context.stage(value);
  if (mapping?.to === undefined) {
    const message =
      mapping === undefined
        ? `stage "${value}" is not in the plan's stages; add it with its outcome`
        : `stage "${value}" has no outcome in the plan; set its "to"`;
    return { _tag: "Unmapped", stage: value, message };
  }
  switch (mapping.to) {
    case "lead":
      return {
        _tag: "Lead",
        stage: value,
        ...(mapping.label === undefined ? {} : { label: mapping.label }),
      };
    case "deal":
      return dealIn(mapping, "open", context);
    case "lost":
      return dealIn(mapping, "lost", context);
    case "won":
    case "customer":
      return { _tag: "Customer", stage: value };
  }
};
