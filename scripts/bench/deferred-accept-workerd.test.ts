import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { withDeferredAccept } from "./deferred-accept-workerd.mjs";

const WRAPPER = join(import.meta.dirname, "workerd-defer-accept.py");
// A stand-in for workerd: prints the arguments it got and, for the entry socket it was handed, the socket's
// TCP_DEFER_ACCEPT, whether it listens, and its address.
const FAKE_WORKERD = `#!/usr/bin/env python3
import json, socket, sys
fd = int(next(a for a in sys.argv[1:] if a.startswith("--socket-fd=entry=")).rsplit("=", 1)[1])
s = socket.socket(fileno=fd)
print(json.dumps({
  "args": sys.argv[1:],
  "deferAccept": s.getsockopt(socket.IPPROTO_TCP, socket.TCP_DEFER_ACCEPT),
  "listening": s.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN),
  "host": s.getsockname()[0],
}))
`;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("workerd-defer-accept.py", () => {
  it("hands workerd its entry socket listening with TCP_DEFER_ACCEPT and passes every other argument unchanged", () => {
    const dir = mkdtempSync(join(tmpdir(), "edgechat-defer-"));
    dirs.push(dir);
    const fake = join(dir, "workerd");
    writeFileSync(fake, FAKE_WORKERD, { mode: 0o755 });
    const args = ["serve", "--binary", "--socket-addr=entry=127.0.0.1:0", "--external-addr=loopback=127.0.0.1:1234", "--control-fd=3", "-"];
    const out = JSON.parse(execFileSync(WRAPPER, args, { env: { ...process.env, EDGECHAT_REAL_WORKERD: fake }, encoding: "utf8" }));
    expect(out.deferAccept).toBeGreaterThan(0);
    expect(out.listening).toBe(1);
    expect(out.host).toBe("127.0.0.1");
    expect(out.args.filter((arg: string) => !arg.startsWith("--socket-fd=entry="))).toEqual(args.filter((arg) => !arg.startsWith("--socket-addr=entry=")));
    expect(out.args).toHaveLength(args.length);
  });
});

describe("withDeferredAccept", () => {
  it("points Miniflare at the wrapper and the wrapper at workerd while starting, then restores the environment", async () => {
    const before = { ...process.env };
    const { result, deferred } = await withDeferredAccept(async () => ({ wrapper: process.env.MINIFLARE_WORKERD_PATH, real: process.env.EDGECHAT_REAL_WORKERD }));
    expect(deferred).toBe(true); // python3 is part of this machine's toolchain
    expect(result.wrapper).toBe(WRAPPER);
    expect(result.real).toMatch(/workerd$/);
    expect(process.env.MINIFLARE_WORKERD_PATH).toBe(before.MINIFLARE_WORKERD_PATH);
    expect(process.env.EDGECHAT_REAL_WORKERD).toBe(before.EDGECHAT_REAL_WORKERD);
  });
});
