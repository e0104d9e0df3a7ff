import { HttpError } from "./http-error";

export interface Route<Handler> {
  method: string;
  /** A path with `:name` segments, e.g. "/v1/images/:id"; a final `*` matches one or more remaining segments (param `*`). */
  path: string;
  handler: Handler;
}

export interface RouteMatch<Handler> {
  handler: Handler;
  params: Record<string, string>;
}

/**
 * Finds the route for a method and path. A known path with another method is a 405
 * (with Allow); an unknown /v1 path is a 404; anything else returns undefined so the
 * caller can fall through to static assets.
 */
export function matchRoute<Handler>(
  routes: readonly Route<Handler>[],
  method: string,
  pathname: string,
): RouteMatch<Handler> | undefined {
  const allowed: string[] = [];
  for (const route of routes) {
    const params = matchPath(route.path, pathname);
    if (!params) continue;
    if (route.method === method || (method === "HEAD" && route.method === "GET")) return { handler: route.handler, params };
    allowed.push(route.method);
  }
  if (allowed.length > 0) {
    throw new HttpError(405, "method_not_allowed", `Use ${allowed.join(" or ")} for ${pathname}.`, {
      allow: allowed.join(", "),
    });
  }
  return undefined;
}

function matchPath(pattern: string, pathname: string): Record<string, string> | undefined {
  const patternParts = pattern.split("/");
  const pathParts = pathname.split("/");
  if (patternParts[patternParts.length - 1] === "*") {
    const rest = pathParts.slice(patternParts.length - 1).join("/");
    if (pathParts.length < patternParts.length || rest === "") return undefined;
    const params = matchPath(patternParts.slice(0, -1).join("/"), pathParts.slice(0, patternParts.length - 1).join("/"));
    return params && { ...params, "*": rest };
  }
  if (patternParts.length !== pathParts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < patternParts.length; i++) {
    const expected = patternParts[i]!;
    const actual = pathParts[i]!;
    if (expected.startsWith(":")) {
      if (actual === "") return undefined;
      try {
        params[expected.slice(1)] = decodeURIComponent(actual);
      } catch {
        return undefined;
      }
    } else if (expected !== actual) return undefined;
  }
  return params;
}
