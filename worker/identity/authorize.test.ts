import { describe, expect, it } from "vitest";
import { authorize, decide, type Action } from "./authorize";
import type { Principal } from "./principal";

const member = (role: Principal["role"], bots: Principal["bots"]): Principal => ({ kind: "member", id: "m_1", name: "ana", role, bots });

describe("authorize: the one decision of who may do what", () => {
  it.each<[Principal["role"], Action, string]>([
    ["admin", "members:manage", "allowed"],
    ["admin", "keys:manage", "allowed"],
    ["admin", "bots:write", "allowed"],
    ["editor", "bots:write", "allowed"],
    ["editor", "documents:write", "allowed"],
    ["editor", "analytics:read", "allowed"],
    ["editor", "corrections:write", "allowed"],
    ["editor", "members:manage", "forbidden"],
    ["editor", "keys:manage", "forbidden"],
    ["editor", "conversations:takeover", "forbidden"],
    ["agent", "bots:read", "allowed"],
    ["agent", "conversations:read", "allowed"],
    ["agent", "conversations:takeover", "allowed"],
    ["agent", "bots:write", "forbidden"],
    ["agent", "documents:write", "forbidden"],
    ["agent", "analytics:read", "forbidden"],
  ])("%s may %s: %s", (role, action, expected) => {
    expect(decide(member(role, "all"), action, action.startsWith("members") || action.startsWith("keys") ? undefined : "demo")).toBe(expected);
  });

  it("answers not_found for a bot outside the scope before looking at the role", () => {
    expect(decide(member("admin", ["a"]), "bots:read", "b")).toBe("not_found");
    expect(decide(member("agent", ["a"]), "bots:write", "b")).toBe("not_found");
    expect(decide(member("editor", ["a", "b"]), "bots:write", "b")).toBe("allowed");
  });

  it("keeps deployment-wide actions to principals of every bot", () => {
    expect(decide(member("editor", "all"), "bots:create")).toBe("allowed");
    expect(decide(member("editor", ["a"]), "bots:create")).toBe("forbidden");
    expect(decide(member("admin", ["a"]), "members:manage")).toBe("forbidden");
  });

  it("throws the 404 of a missing bot and a 403, as HttpErrors", () => {
    expect(() => authorize(member("editor", ["a"]), "bots:read", "b")).toThrow(expect.objectContaining({ status: 404, code: "bot_not_found" }));
    expect(() => authorize(member("agent", "all"), "bots:write", "b")).toThrow(expect.objectContaining({ status: 403, code: "forbidden" }));
    expect(() => authorize({ kind: "admin-token", id: "admin-token", name: "ADMIN_TOKEN", role: "admin", bots: "all" }, "keys:manage")).not.toThrow();
  });
});
