import { correctionHandlers } from "./admin-corrections-route";
import { consoleBot } from "./console-documents-route";

// The console's corrections API: the admin handlers, with the signed-in member (cookie, same-origin writes) as caller.
const consoleHandlers = correctionHandlers(consoleBot);

/** POST /v1/console/bots/:id/corrections `{ question, phrasings?, answer, sources? }` → 201 `{ correction }` (editor, admin). */
export const handleConsoleCreateCorrection = consoleHandlers.create;
/** GET /v1/console/bots/:id/corrections → `{ corrections }`; `?format=jsonl` → one per line. */
export const handleConsoleListCorrections = consoleHandlers.list;
/** PUT /v1/console/bots/:id/corrections/:correctionId → `{ correction }`. */
export const handleConsoleUpdateCorrection = consoleHandlers.update;
/** DELETE /v1/console/bots/:id/corrections/:correctionId → `{ deleted }`. */
export const handleConsoleDeleteCorrection = consoleHandlers.remove;
/** POST /v1/console/bots/:id/corrections/import (JSONL body) → 201 `{ imported, ids }`, or 400 with `error.lines`. */
export const handleConsoleImportCorrections = consoleHandlers.importLines;
