import { describe, expect, it } from "vitest";
import { matchRoute, type Route } from "./route-table";
import { HttpError } from "./http-error";

const routes: Route<string>[] = [
  { method: "GET", path: "/v1/images/:id", handler: "image" },
  { method: "GET", path: "/admin", handler: "console" },
  { method: "GET", path: "/admin/*", handler: "console-any" },
];

describe("matchRoute", () => {
  it("matches :name segments and decodes them", () => {
    expect(matchRoute(routes, "GET", "/v1/images/a%20b")).toEqual({ handler: "image", params: { id: "a b" } });
    expect(matchRoute(routes, "GET", "/v1/images/")).toBeUndefined();
  });
  it("matches a final * against one or more remaining segments", () => {
    expect(matchRoute(routes, "GET", "/admin")).toEqual({ handler: "console", params: {} });
    expect(matchRoute(routes, "GET", "/admin/bots/demo/documents")).toEqual({ handler: "console-any", params: { "*": "bots/demo/documents" } });
    expect(matchRoute(routes, "GET", "/admin/sign-in")?.params).toEqual({ "*": "sign-in" });
    expect(matchRoute(routes, "GET", "/admin/")).toBeUndefined();
    expect(matchRoute(routes, "GET", "/administrator")).toBeUndefined();
    expect(matchRoute(routes, "GET", "/other/admin/x")).toBeUndefined();
  });
  it("answers 405 with Allow for a known path and another method", () => {
    try {
      matchRoute(routes, "POST", "/admin/members");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).status).toBe(405);
      expect((error as HttpError).headers.allow).toBe("GET");
    }
  });
});
