import { sourceHandlers } from "./admin-sources-route";
import { consoleBot } from "./console-documents-route";

/**
 * `/v1/console/bots/:id/sources…` for signed-in members: the admin API's source handlers (admin-sources-route.ts),
 * `documents:read` to list and look, `documents:write` to add, sync, cancel and remove. A bot out of the member's
 * scope answers 404, like one that does not exist.
 */
export const consoleSourceHandlers = sourceHandlers(consoleBot, "sourceId");
