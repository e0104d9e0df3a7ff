// Where the admin API is and how to authenticate: flags first, then environment, then .dev.vars.
import { existsSync, readFileSync } from "node:fs";

/**
 * @param {{ url?: string, token?: string }} flags
 * @param {Record<string, string | undefined>} env
 * @returns {{ url: string, token: string }}
 */
export function adminConnection(flags, env) {
  const url = (flags.url ?? env.EDGECHAT_URL ?? "http://127.0.0.1:8787").replace(/\/+$/, "");
  // An API key (ec_..., created in the console) works wherever the ADMIN_TOKEN does, within its role and bots.
  const token = flags.token ?? env.EDGECHAT_ADMIN_TOKEN ?? env.EDGECHAT_API_KEY ?? devVarsToken();
  if (!token) {
    throw new Error("No admin token: pass --token, set EDGECHAT_ADMIN_TOKEN (or an API key in EDGECHAT_API_KEY), or run `npm start` once (it writes ADMIN_TOKEN to .dev.vars).");
  }
  return { url, token };
}

function devVarsToken() {
  if (!existsSync(".dev.vars")) return undefined;
  return /^ADMIN_TOKEN=(.+)$/m.exec(readFileSync(".dev.vars", "utf8"))?.[1]?.trim();
}

/** Calls the admin API and returns the parsed JSON body; an error response becomes an Error with its message. */
export async function adminFetch({ url, token }, method, path, body) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw new Error(`${response.status} ${json?.error?.message ?? text}`);
  return json;
}

/** The connection options every admin command takes, and their usage text. */
export const CONNECTION_OPTIONS = { url: { type: "string" }, token: { type: "string" } };
export const CONNECTION_USAGE = `Connection: --url (or EDGECHAT_URL, default http://127.0.0.1:8787) and --token (or EDGECHAT_ADMIN_TOKEN, or an
API key ec_... in EDGECHAT_API_KEY, or ADMIN_TOKEN from .dev.vars).`;
