/**
 * Which URLs an owner-steered request may reach (SSRF guard). A URL is refused when it is not http(s),
 * carries credentials, uses a port other than 80/443 (unless the owner's own URL named it), or names a host
 * that is an IP literal outside the public internet, or a name reserved for local networks.
 *
 * IP literals in any notation are caught because the WHATWG URL parser (the same one `fetch` uses) turns
 * decimal (2130706433), hex (0x7f000001), octal (017700000001) and short (127.1) IPv4 forms into the
 * dotted quad before we look, and IPv6 literals into their compressed form; IPv4-mapped, NAT64 and
 * 6to4/Teredo IPv6 addresses are judged by what they embed or refused outright.
 *
 * Limit: names that *resolve* to private addresses cannot be checked before `fetch` in a Worker (there
 * is no DNS API); Cloudflare's egress refuses private ranges in production, and locally nothing does.
 */
export interface FetchPolicy {
  /** Exact `host:port` pairs let through although private (tests' fixture servers). Never in production. */
  allowHosts: ReadonlySet<string>;
}

export const DEFAULT_FETCH_POLICY: FetchPolicy = { allowHosts: new Set() };

export type RefusalCode = "invalid_url" | "scheme_not_allowed" | "credentials_in_url" | "port_not_allowed" | "private_address" | "local_name";

export class FetchRefusedError extends Error {
  constructor(
    readonly code: RefusalCode,
    message: string,
  ) {
    super(message);
    this.name = "FetchRefusedError";
  }
}

/**
 * Throws FetchRefusedError unless `url` may be fetched. `ownerPort` is the port the owner's own URL named
 * (so a redirect may go back to it); 80 and 443 are always fine.
 *
 * @example
 * checkFetchableUrl(new URL("http://0x7f000001/"), DEFAULT_FETCH_POLICY) // throws: private_address
 */
export function checkFetchableUrl(url: URL, policy: FetchPolicy, ownerPort?: string): void {
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new FetchRefusedError("scheme_not_allowed", `Only http and https URLs can be fetched, not ${url.protocol}`);
  if (url.username || url.password) throw new FetchRefusedError("credentials_in_url", "URLs with a user name or password are refused.");
  const hostPort = `${url.hostname}:${url.port || (url.protocol === "https:" ? "443" : "80")}`;
  if (policy.allowHosts.has(hostPort)) return;
  if (url.port && url.port !== ownerPort && url.port !== "80" && url.port !== "443") {
    throw new FetchRefusedError("port_not_allowed", `Port ${url.port} is refused: only 80, 443 or the port of the source's own URL.`);
  }
  const refusal = hostRefusal(url.hostname);
  if (refusal) throw new FetchRefusedError(refusal.code, refusal.message);
}

/** Why a (URL-parsed) hostname is refused, or null when it looks public. */
export function hostRefusal(hostname: string): { code: RefusalCode; message: string } | null {
  const host = hostname.toLowerCase().replace(/\.+$/, "");
  if (host.startsWith("[")) {
    return isPublicIpv6(host.slice(1, -1)) ? null : { code: "private_address", message: `${hostname} is not a public address.` };
  }
  const v4 = parseIpv4(host);
  if (v4 !== null) return isPublicIpv4(v4) ? null : { code: "private_address", message: `${hostname} is not a public address.` };
  if (host === "" || !host.includes(".") || /(^|\.)(localhost|internal|local|localdomain|home\.arpa|intranet|lan|corp)$/.test(host)) {
    return { code: "local_name", message: `${hostname} names a local or internal host.` };
  }
  return null;
}

function parseIpv4(host: string): number | null {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!match) return null;
  const parts = match.slice(1).map(Number);
  if (parts.some((part) => part > 255)) return null;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

// [network, prefix length] of every IPv4 range that is not the public internet (IANA special-purpose registry).
const PRIVATE_V4: readonly [string, number][] = [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
  ["192.0.0.0", 24], ["192.0.2.0", 24], ["192.88.99.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15],
  ["198.51.100.0", 24], ["203.0.113.0", 24], ["224.0.0.0", 4], ["240.0.0.0", 4],
];
const PRIVATE_V4_RANGES = PRIVATE_V4.map(([network, bits]) => ({ base: parseIpv4(network)!, mask: bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0 }));

function isPublicIpv4(address: number): boolean {
  return !PRIVATE_V4_RANGES.some(({ base, mask }) => ((address & mask) >>> 0) === base);
}

function isPublicIpv6(literal: string): boolean {
  const words = parseIpv6(literal);
  if (!words) return false;
  const embeddedV4 = ((words[6]! << 16) | words[7]!) >>> 0;
  // IPv4-mapped ::ffff:a.b.c.d and NAT64 64:ff9b::a.b.c.d: judged by the IPv4 address they carry.
  if (words.slice(0, 5).every((word) => word === 0) && words[5] === 0xffff) return isPublicIpv4(embeddedV4);
  if (words[0] === 0x64 && words[1] === 0xff9b && words.slice(2, 6).every((word) => word === 0)) return isPublicIpv4(embeddedV4);
  // Only global unicast 2000::/3, minus documentation (2001:db8::/32), Teredo (2001::/32) and 6to4 (2002::/16).
  if ((words[0]! & 0xe000) !== 0x2000) return false;
  if (words[0] === 0x2001 && (words[1] === 0x0db8 || words[1] === 0)) return false;
  return words[0] !== 0x2002;
}

function parseIpv6(literal: string): number[] | null {
  let text = literal.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = parseIpv4(dotted[1]!);
    if (v4 === null) return null;
    text = `${text.slice(0, dotted.index)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const words = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail].map((word) => (/^[0-9a-f]{1,4}$/.test(word) ? parseInt(word, 16) : NaN));
  return words.some(Number.isNaN) ? null : words;
}
