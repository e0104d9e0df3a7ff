// Helpers for console API tests: members with passwords, signed-in cookies, console requests.
import { inviteMember } from "../identity/invitations";
import type { BotScope, Role } from "../identity/principal";
import type { EdgechatEnv } from "../env";
import { callWorker, testEnv } from "./bot-fixtures";

/** The worker's origin in tests: console writes must come from it. */
export const CONSOLE_ORIGIN = "http://edgechat.test";

export interface ConsoleRequestOptions {
  cookie?: string;
  body?: unknown;
  /** The Origin header; defaults to the worker's own on writes, none on reads. `null` sends none. */
  origin?: string | null;
  headers?: Record<string, string>;
}

/** A request to the console API as the console page would send it. */
export function consoleRequest(method: string, path: string, options: ConsoleRequestOptions = {}): Request {
  const headers: Record<string, string> = { ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  const origin = options.origin === undefined ? (method === "GET" ? null : CONSOLE_ORIGIN) : options.origin;
  if (origin !== null) headers.origin = origin;
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) body = options.body;
  else if (options.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  return new Request(`${CONSOLE_ORIGIN}${path}`, { method, headers, body });
}

/** The `name=value` of a response's Set-Cookie, as a browser would send it back. */
export function cookieOf(response: Response): string {
  const header = response.headers.get("set-cookie");
  if (!header) throw new Error(`no set-cookie (status ${response.status})`);
  return header.split(";")[0]!;
}

let counter = 0;

/** Invites a member (unique name) and accepts the invitation through the API: the member and their session cookie. */
export async function signedInMember(
  worker: ExportedHandler<EdgechatEnv>,
  grant: { role: Role; bots: BotScope; name?: string; password?: string },
  bindings: EdgechatEnv = testEnv,
) {
  const name = grant.name ?? `member-${Date.now().toString(36)}-${++counter}`;
  const password = grant.password ?? "a long enough password";
  const { invitation, member } = await inviteMember(bindings.DB!, { name, role: grant.role, bots: grant.bots }, CONSOLE_ORIGIN);
  const token = invitation.url.split("#")[1]!;
  const response = await callWorker(worker, consoleRequest("POST", "/v1/console/invitations/accept", { body: { token, password } }), bindings);
  if (response.status !== 200) throw new Error(`accept failed: ${response.status} ${await response.text()}`);
  return { member, name, password, cookie: cookieOf(response) };
}
