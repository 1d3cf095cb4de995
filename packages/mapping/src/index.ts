/**
 * @ferry/mapping: the mapping plan, its proposer and confirmation, and the transforms from
 * staged source records to planned destination records.
 */
export * from "./Confirmation.js";
export * from "./ConfirmationError.js";
export * from "./normalize/Normalized.js";
export * from "./normalize/normalizeDate.js";
export * from "./normalize/normalizeEmail.js";
export * from "./normalize/normalizePhone.js";
export * from "./normalize/parseBoolean.js";
export * from "./normalize/parseMoney.js";
export * from "./PipedriveRecords.js";
export * from "./Pipeline.js";
export * from "./Plan.js";
export * from "./PlanError.js";
export * from "./PlanFile.js";
export * from "./PlanWarning.js";
export * from "./planHash.js";
export * from "./schemaChanges.js";
export * from "./transforms/holdOutputs.js";
export * from "./transforms/leadSplit.js";
export * from "./transforms/MappedFields.js";
export * from "./transforms/NoteTarget.js";
export * from "./transforms/planActivity.js";
export * from "./transforms/planAttachments.js";
export * from "./transforms/planContact.js";
export * from "./transforms/planInvoice.js";
export * from "./transforms/planLead.js";
export * from "./transforms/planNotesColumn.js";
export * from "./transforms/planOrganization.js";
export * from "./transforms/planPerson.js";
export * from "./transforms/planRelated.js";
export * from "./transforms/planTeamMember.js";
export * from "./transforms/planThread.js";
export * from "./transforms/RunState.js";
export * from "./transforms/resolveOwner.js";
export * from "./transforms/splitTags.js";
export * from "./transforms/stageHistory.js";
export * from "./transforms/TransformContext.js";
export * from "./transforms/typeValue.js";
