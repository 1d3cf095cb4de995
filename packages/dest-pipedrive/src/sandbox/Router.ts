/**
 * The route table: every implemented operation by API version, method and path template. Paths
 * are matched to templates by the token cost table, so an operation is routable only if it is in
 * the official OpenAPI documents (or the newer Fields API), and costs what those documents list.
 */
import { tokenCostTable } from "../TokenCosts.js";
import type { Handler, Route } from "./Http.js";
import { activityRoutes } from "./resources/Activities.js";
import { activityTypeRoutes } from "./resources/ActivityTypes.js";
import { dealRoutes } from "./resources/Deals.js";
import { fieldRoutes } from "./resources/Fields.js";
import { fileRoutes } from "./resources/Files.js";
import { leadLabelRoutes } from "./resources/LeadLabels.js";
import { leadRoutes } from "./resources/Leads.js";
import { noteRoutes } from "./resources/Notes.js";
import { organizationRoutes } from "./resources/Organizations.js";
import { personRoutes } from "./resources/Persons.js";
import { pipelineRoutes } from "./resources/Pipelines.js";
import { searchRoutes } from "./resources/Search.js";
import { userRoutes } from "./resources/Users.js";

/** Every implemented route. */
export const routes: ReadonlyArray<Route> = [
  ...userRoutes,
  ...pipelineRoutes,
  ...fieldRoutes,
  ...organizationRoutes,
  ...personRoutes,
  ...dealRoutes,
  ...activityRoutes,
  ...searchRoutes,
  ...leadRoutes,
  ...leadLabelRoutes,
  ...noteRoutes,
  ...activityTypeRoutes,
  ...fileRoutes,
];

const routeKey = (version: string, method: string, template: string): string =>
  `${version} ${method} ${template}`;

const handlers = new Map<string, Handler>();
const documented = new Set(
  tokenCostTable.map(([version, method, template]) => routeKey(version, method, template)),
);
for (const [version, method, template, handler] of routes) {
  const key = routeKey(version, method, template);
  // A route outside the cost table could never be matched, so it is a programming error.
  if (!documented.has(key))
    throw new Error(`The sandbox route ${key} is not in the token cost table`);
  handlers.set(key, handler);
}

/** Finds the handler of an operation, or undefined when the sandbox does not implement it. */
export const findHandler = (
  version: string,
  method: string,
  template: string,
): Handler | undefined => handlers.get(routeKey(version, method, template));
