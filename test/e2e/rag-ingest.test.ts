import { afterAll, describe, expect, inject, it } from "vitest";
// @ts-expect-error: a plain .mjs module shared with `npx edgechat ingest` and `npm start`
import { ingestPaths } from "../../bin/commands/ingest.mjs";

const baseUrl = inject("baseUrl");
const adminToken = inject("adminToken");
const auth = { authorization: `Bearer ${adminToken}` };

// Leaves the demo bot as it found it (empty), for the other end-to-end tests.
afterAll(async () => {
  const { documents } = (await (await fetch(`${baseUrl}/v1/admin/bots/demo/documents`, { headers: auth })).json()) as { documents: { id: string }[] };
  for (const document of documents) {
    await fetch(`${baseUrl}/v1/admin/bots/demo/documents/${encodeURIComponent(document.id)}`, { method: "DELETE", headers: auth });
  }
});

describe("RAG under wrangler dev (LocalVectorIndex Durable Object + D1)", () => {
  it("ingests the example docs with the CLI's code path, then answers with the right source", async () => {
    const summary = await ingestPaths({ paths: ["examples/support-bot/docs"], bot: "demo", url: baseUrl, token: adminToken });
    expect(summary.failures).toEqual([]);
    expect(summary.documents).toBeGreaterThanOrEqual(15);
    expect(summary.indexed).toBe(summary.documents);
    expect(summary.chunks).toBeGreaterThan(summary.documents);

    const response = await fetch(`${baseUrl}/v1/chat`, {
      method: "POST",
      // As the demo page would: the worker's own origin is always allowed.
      headers: { "content-type": "application/json", origin: baseUrl },
      body: JSON.stringify({ botId: "demo", messages: [{ id: "u1", role: "user", parts: [{ type: "text", text: "How do I rotate an API key?" }] }] }),
    });
    const body = await response.text();
    const chunks = body
      .split("\n")
      .filter((line) => line.startsWith("data: ") && line !== "data: [DONE]")
      .map((line) => JSON.parse(line.slice(6)) as { type: string; url?: string; delta?: string });
    const sources = chunks.filter((chunk) => chunk.type === "source-url");
    expect(sources[0]?.url).toBe("/docs/security/api-keys");
    expect(chunks.filter((chunk) => chunk.type === "text-delta").map((chunk) => chunk.delta).join("")).toContain("[1]");

    const again = await ingestPaths({ paths: ["examples/support-bot/docs"], bot: "demo", url: baseUrl, token: adminToken });
    expect(again.unchanged).toBe(summary.documents);
  });
});
