import type { FetchPolicy } from "./address-policy";

let warned = "";

/**
 * The SSRF policy of this deployment. `EDGECHAT_FETCH_ALLOW_HOSTS` (comma-separated exact `host:port` pairs)
 * lets owner-steered requests reach those private hosts: it exists for tests' fixture servers on 127.0.0.1,
 * is announced loudly in the log, and must never be set in a deployed config (`npx edgechat deploy` refuses it).
 *
 * @example
 * fetchPolicyFromEnv({ EDGECHAT_FETCH_ALLOW_HOSTS: "127.0.0.1:8123" }).allowHosts.has("127.0.0.1:8123") // true
 */
export function fetchPolicyFromEnv(env: { EDGECHAT_FETCH_ALLOW_HOSTS?: string }): FetchPolicy {
  const raw = env.EDGECHAT_FETCH_ALLOW_HOSTS?.trim() ?? "";
  const allowHosts = new Set(
    raw
      .split(",")
      .map((entry) => entry.trim().toLowerCase())
      .filter((entry) => /^[^\s:/]+:\d{1,5}$/.test(entry) || /^\[[0-9a-f:.]+\]:\d{1,5}$/.test(entry)),
  );
  if (allowHosts.size > 0 && warned !== raw) {
    warned = raw;
    console.warn(
      `edgechat: WARNING EDGECHAT_FETCH_ALLOW_HOSTS=${[...allowHosts].join(",")} lets knowledge sources and webhooks reach these ` +
        "private hosts. This is for local tests only; never deploy with it.",
    );
  }
  return { allowHosts };
}
