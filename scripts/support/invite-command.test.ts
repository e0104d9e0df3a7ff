import { describe, expect, it } from "vitest";
import { inviteCommand } from "./invite-command.mjs";

describe("inviteCommand", () => {
  it("is the plain command on the default address (the CLI's default URL; it reads ADMIN_TOKEN from .dev.vars)", () => {
    expect(inviteCommand("http://127.0.0.1:8787")).toBe("npx edgechat members invite you --role admin");
  });
  it("names the worker's address when it runs elsewhere", () => {
    expect(inviteCommand("http://127.0.0.1:9000")).toBe("npx edgechat members invite you --role admin --url http://127.0.0.1:9000");
  });
});
