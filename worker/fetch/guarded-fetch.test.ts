import { inject } from "vitest";
import { describe, expect, it } from "vitest";
import { DEFAULT_FETCH_POLICY, FetchRefusedError, hostRefusal } from "./address-policy";
import { fetchPolicyFromEnv } from "./fetch-policy-from-env";
import { FetchFailedError, guardedFetch } from "./guarded-fetch";

const site = new URL(inject("fixtureSiteUrl"));
const port = site.port;

async function hitsOf(path: string): Promise<number> {
  return ((await (await fetch(`${site.origin}/__control/hits?path=${encodeURIComponent(path)}`)).json()) as { hits: number }).hits;
}

/**
 * The network as an attacker hopes it is: every address below reaches the fixture server (IP literals in any
 * notation and local names all land on 127.0.0.1:PORT, as they would on a machine where that name or range is
 * the internal service). So a refused case is refused by the guard, not by an unreachable address.
 */
const toFixture: typeof fetch = (input, init) => {
  const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
  return fetch(`${site.origin}${url.pathname}${url.search}`, init);
};

const REFUSED = [
  ["decimal", `http://2130706433:${port}`],
  ["hex", `http://0x7f000001:${port}`],
  ["octal", `http://017700000001:${port}`],
  ["short", `http://127.1:${port}`],
  ["dotted loopback", `http://127.0.0.1:${port}`],
  ["IPv4-mapped IPv6", `http://[::ffff:127.0.0.1]:${port}`],
  ["IPv4-mapped IPv6, hex", `http://[::ffff:7f00:1]:${port}`],
  ["IPv6 loopback", `http://[::1]:${port}`],
  ["unspecified", `http://0.0.0.0:${port}`],
  ["localhost with trailing dot", `http://localhost.:${port}`],
  ["*.localhost", `http://foo.localhost:${port}`],
  ["*.internal", `http://metadata.google.internal:${port}`],
  ["private 10/8", `http://10.0.0.1:${port}`],
  ["private 172.16/12", `http://172.16.5.4:${port}`],
  ["private 192.168/16", `http://192.168.1.1:${port}`],
  ["link-local (cloud metadata)", `http://169.254.169.254:${port}`],
  ["CGNAT", `http://100.64.0.1:${port}`],
  ["multicast", `http://224.0.0.1:${port}`],
  ["reserved", `http://240.0.0.1:${port}`],
  ["IPv6 unique local", `http://[fd00::1]:${port}`],
  ["IPv6 link-local", `http://[fe80::1]:${port}`],
  ["NAT64 of loopback", `http://[64:ff9b::7f00:1]:${port}`],
  ["single-label name", `http://intranet:${port}`],
] as const;

describe("guardedFetch: the SSRF table", () => {
  it.each(REFUSED)("refuses %s (%s) although the address would answer", async (_name, origin) => {
    const path = `/docs/page-${Math.floor(Math.random() * 100) + 1}.html`;
    const url = `${origin}${path}`;
    // Without the guard (the same host:port explicitly allowed), the request does reach the fixture.
    const open = await guardedFetch(url, { policy: { allowHosts: new Set([`${new URL(url).hostname}:${port}`]) }, fetch: toFixture });
    expect(open.status).toBe(200);
    const before = await hitsOf(path);
    const refusal = await guardedFetch(url, { policy: DEFAULT_FETCH_POLICY, fetch: toFixture }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(FetchRefusedError);
    expect(["private_address", "local_name"]).toContain((refusal as FetchRefusedError).code);
    expect(await hitsOf(path)).toBe(before);
  });

  it("refuses other schemes, credentials and ports the owner did not name", async () => {
    const refused = (url: string) => guardedFetch(url, { policy: DEFAULT_FETCH_POLICY, fetch: toFixture }).catch((error: FetchRefusedError) => error.code);
    expect(await refused("ftp://example.com/file")).toBe("scheme_not_allowed");
    expect(await refused("file:///etc/passwd")).toBe("scheme_not_allowed");
    expect(await refused("https://user:secret@example.com/")).toBe("credentials_in_url");
    expect(await refused("not a url")).toBe("invalid_url");
  });

  it("checks every redirect hop: a redirect to another notation of a private host is refused", async () => {
    const policy = fetchPolicyFromEnv({ EDGECHAT_FETCH_ALLOW_HOSTS: `127.0.0.1:${port}` });
    const before = await hitsOf("/docs/page-1.html");
    const error = await guardedFetch(`${site.origin}/to-private`, { policy }).catch((caught: unknown) => caught);
    expect((error as FetchRefusedError).code).toBe("local_name");
    expect(await hitsOf("/docs/page-1.html")).toBe(before);
  });

  it("follows at most 5 redirects, stops a loop, and reports where a chain ended", async () => {
    const policy = fetchPolicyFromEnv({ EDGECHAT_FETCH_ALLOW_HOSTS: `127.0.0.1:${port}` });
    const chain = await guardedFetch(`${site.origin}/redirect/start`, { policy });
    expect(chain).toMatchObject({ status: 200, url: `${site.origin}/redirect/target.html`, redirects: 3 });
    const loop = await guardedFetch(`${site.origin}/loop/a`, { policy }).catch((caught: FetchFailedError) => caught.code);
    expect(loop).toBe("too_many_redirects");
    const none = await guardedFetch(`${site.origin}/redirect/start`, { policy, maxRedirects: 0 }).catch((caught: FetchFailedError) => caught.code);
    expect(none).toBe("too_many_redirects");
  });

  it("cuts bodies past the size cap, times out, and refuses content types outside the allow-list", async () => {
    const policy = fetchPolicyFromEnv({ EDGECHAT_FETCH_ALLOW_HOSTS: `127.0.0.1:${port}` });
    expect(await guardedFetch(`${site.origin}/big.html`, { policy, maxBytes: 1024 * 1024 }).catch((caught: FetchFailedError) => caught.code)).toBe("too_large");
    expect(await guardedFetch(`${site.origin}/slow.html`, { policy, timeoutMs: 300 }).catch((caught: FetchFailedError) => caught.code)).toBe("timeout");
    expect(await guardedFetch(`${site.origin}/sitemap.xml`, { policy, contentTypes: ["text/html"] }).catch((caught: FetchFailedError) => caught.code)).toBe("unsupported_content_type");
    const page = await guardedFetch(`${site.origin}/docs/page-3.html`, { policy, contentTypes: ["text/html"] });
    expect(new TextDecoder().decode(page.bytes)).toContain("Topic 3");
  });

  it("lets public addresses through", () => {
    for (const host of ["example.com", "8.8.8.8", "[2606:4700:4700::1111]", "docs.example.co.uk"]) expect(hostRefusal(host)).toBeNull();
  });

  it("reads EDGECHAT_FETCH_ALLOW_HOSTS as exact host:port pairs only", () => {
    expect([...fetchPolicyFromEnv({ EDGECHAT_FETCH_ALLOW_HOSTS: "127.0.0.1:8123, [::1]:9000, 10.0.0.0/8, *" }).allowHosts]).toEqual(["127.0.0.1:8123", "[::1]:9000"]);
    expect(fetchPolicyFromEnv({}).allowHosts.size).toBe(0);
  });
});
