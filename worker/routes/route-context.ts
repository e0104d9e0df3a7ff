import type { EdgechatEnv } from "../env";
import type { ModelSet } from "../models/model-set";
import type { PdfTextExtractor } from "../sources/pdf-text-types";

/** What every route handler receives: the request, the bindings and the models, passed in, never global. */
export interface RouteContext {
  request: Request;
  url: URL;
  env: EdgechatEnv;
  ctx: ExecutionContext;
  models: ModelSet;
  params: Record<string, string>;
  /** The worker's PDF reader, when it was given one (`createEdgechatWorker({ pdfText })`): uploads read PDFs with it. */
  pdfText?: PdfTextExtractor;
}

export type RouteHandler = (context: RouteContext) => Promise<Response> | Response;
