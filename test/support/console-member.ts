import type { BrowserContext } from "playwright-core";

/**
 * Signs a new console member into a browser context against the real worker: the admin API invites them
 * (as `npx edgechat members invite` does), the invitation is accepted with a password, and the session cookie
 * lands in the context. Returns the member's name.
 *
 * @example
 * await signInConsoleMember(context, { baseUrl, adminToken, role: "agent", displayName: "Ada Lovelace" });
 */
export async function signInConsoleMember(
  context: BrowserContext,
  { baseUrl, adminToken, role, displayName, bots = "all" }: { baseUrl: string; adminToken: string; role: "admin" | "editor" | "agent"; displayName: string; bots?: "all" | string[] },
): Promise<string> {
  const name = `${role}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  const invited = await fetch(`${baseUrl}/v1/admin/members/invitations`, {
    method: "POST",
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
    body: JSON.stringify({ name, role, bots }),
  });
  if (!invited.ok) throw new Error(`invitation: ${invited.status} ${await invited.text()}`);
  const { invitation } = (await invited.json()) as { invitation: { url: string } };
  const token = new URL(invitation.url).hash.slice(1);
  const accepted = await context.request.post(`${baseUrl}/v1/console/invitations/accept`, {
    headers: { origin: baseUrl },
    data: { token, password: "a long and lovely password", displayName },
  });
  if (!accepted.ok()) throw new Error(`accept: ${accepted.status()} ${await accepted.text()}`);
  return name;
}
