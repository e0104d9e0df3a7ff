import type { EdgechatEnv } from "../env";
import type { ModelSet } from "../models/model-set";

/** What every route handler receives: the request, the bindings and the models, passed in, never global. */
export interface RouteContext {
  request: Request;
  url: URL;
  env: EdgechatEnv;
  ctx: ExecutionContext;
  models: ModelSet;
  params: Record<string, string>;
}

export type RouteHandler = (context: RouteContext) => Promise<Response> | Response;
