import { env, createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createEdgechatWorker } from "../create-edgechat-worker";
import type { EdgechatEnv } from "../env";
import { modelsFromEnv } from "../models/model-set";
import { createOfflineEmbeddingModel } from "../models/offline-embedding-model";
import { retrievePassages } from "../rag/retrieve-passages";
import { createLocalVectorize } from "../vector/local-vectorize";
import { vectorIndexFromEnv } from "../vector/vector-index-from-env";
import { bundledWordVectors } from "../test-support/bundled-word-vectors";
import { keywordRows } from "../test-support/keyword-rows";

const testEnv = env as unknown as EdgechatEnv;
const TOKEN = "test-admin-token";

async function call(request: Request, bindings: EdgechatEnv = testEnv): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await createEdgechatWorker().fetch!(request as Request<unknown, IncomingRequestCfProperties>, bindings, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

function admin(method: string, path: string, body?: unknown, token: string | null = TOKEN): Request {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  return new Request(`http://edgechat.test${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

const sso = {
  id: "guides:sso.md",
  title: "Single sign-on",
  url: "https://docs.acme.test/guides/sso",
  format: "markdown",
  content: "# Single sign-on\n\n## SAML setup\n\nUpload the identity provider metadata XML under Settings, then Security, then SAML. Acme Cloud supports Okta and Azure AD.\n\n## SCIM provisioning\n\nSCIM provisioning creates and removes users automatically when they change in your identity provider.",
};
const backups = {
  id: "backups.html",
  title: "Backups",
  url: "/docs/backups",
  format: "html",
  content: "<h1>Backups</h1><p>Databases are backed up every six hours and snapshots are kept for thirty days.</p><script>steal()</script>",
};

function index() {
  return vectorIndexFromEnv(testEnv, 384)!;
}

async function vectorCount(): Promise<number> {
  return (await index().describe()).vectorCount;
}

async function ids(botId: string, question: string): Promise<string[]> {
  const passages = await retrievePassages({ index: index(), embedding: createOfflineEmbeddingModel({ wordVectors: bundledWordVectors() }), db: testEnv.DB }, { botId, question, topK: 10 });
  return passages.map((passage) => `${passage.documentId}#${passage.chunkIndex}`);
}

describe("admin documents API", () => {
  it("ingests documents, lists them and finds them again by meaning and by keyword (round trip in workerd)", async () => {
    const before = await vectorCount();
    const response = await call(admin("POST", "/v1/admin/bots/round-trip/documents", { documents: [sso, backups] }));
    expect(response.status).toBe(200);
    const { results } = (await response.json()) as { results: { id: string; status: string; chunks: number }[] };
    expect(results.map((r) => [r.id, r.status])).toEqual([["guides:sso.md", "indexed"], ["backups.html", "indexed"]]);
    const chunks = results.reduce((sum, r) => sum + r.chunks, 0);
    expect(chunks).toBe(3);
    expect(await vectorCount()).toBe(before + chunks);

    const list = (await (await call(admin("GET", "/v1/admin/bots/round-trip/documents"))).json()) as { documents: { id: string; status: string; chunkCount: number; url: string }[] };
    expect(list.documents.map((d) => [d.id, d.status, d.chunkCount])).toEqual([["backups.html", "ready", 1], ["guides:sso.md", "ready", 2]]);

    const passages = await retrievePassages(
      { index: index(), embedding: createOfflineEmbeddingModel({ wordVectors: bundledWordVectors() }), db: testEnv.DB },
      { botId: "round-trip", question: "How long are database snapshots kept?" },
    );
    expect(passages[0]).toMatchObject({ documentId: "backups.html", title: "Backups", url: "/docs/backups" });
    expect(passages[0]!.text).toContain("thirty days");
    expect(passages.map((p) => p.text).join(" ")).not.toContain("steal");
    expect((await ids("round-trip", "SCIM provisioning of users"))[0]).toBe("guides:sso.md#1");

    // The same content again is recognised and not re-embedded.
    const again = (await (await call(admin("POST", "/v1/admin/bots/round-trip/documents", { documents: [sso] }))).json()) as { results: { status: string }[] };
    expect(again.results[0]!.status).toBe("unchanged");
    expect(await vectorCount()).toBe(before + chunks);
  });

  it("re-ingesting a document replaces its chunks; deleting it removes every vector", async () => {
    const before = await vectorCount();
    const long = { ...sso, content: `${sso.content}\n\n## Audit log\n\nThe audit log records every sign-in for one year.\n\n## Sessions\n\nSessions expire after twelve hours of inactivity.` };
    await call(admin("POST", "/v1/admin/bots/replace/documents", { documents: [long] }));
    expect(await vectorCount()).toBe(before + 4);
    expect((await ids("replace", "audit log sign-in records")).some((id) => id.startsWith("guides:sso.md"))).toBe(true);

    // A shorter new version: the vectors of the chunks it no longer has are gone, none are duplicated.
    const shorter = { ...sso, content: "# Single sign-on\n\nSSO now only supports Okta, configured by your account manager." };
    const replaced = (await (await call(admin("POST", "/v1/admin/bots/replace/documents", { documents: [shorter] }))).json()) as { results: { status: string; chunks: number }[] };
    expect(replaced.results[0]).toMatchObject({ status: "indexed", chunks: 1 });
    expect(await vectorCount()).toBe(before + 1);
    const passages = await retrievePassages({ index: index(), embedding: createOfflineEmbeddingModel({ wordVectors: bundledWordVectors() }), db: testEnv.DB }, { botId: "replace", question: "audit log" });
    expect(passages.map((p) => p.text).join(" ")).not.toContain("audit log records");
    // The keyword index's narrow rows (migration 0011) follow its full-text rows through ingestion and re-ingestion.
    const rows = await keywordRows(testEnv.DB!, "replace");
    expect(rows.chunks.fts.map((row) => row.documentId)).toEqual(["guides:sso.md"]);
    expect(rows.chunks.narrow).toEqual(rows.chunks.fts);
    expect(rows.documents.narrow).toEqual(rows.documents.fts);

    const deleted = await call(admin("DELETE", "/v1/admin/bots/replace/documents/guides:sso.md"));
    expect(deleted.status).toBe(200);
    expect(await vectorCount()).toBe(before);
    expect(await ids("replace", "Okta account manager")).toEqual([]);
    expect(await keywordRows(testEnv.DB!, "replace")).toEqual({ documents: { fts: [], narrow: [] }, chunks: { fts: [], narrow: [] } });
    const list = (await (await call(admin("GET", "/v1/admin/bots/replace/documents"))).json()) as { documents: unknown[] };
    expect(list.documents).toEqual([]);
    expect((await call(admin("DELETE", "/v1/admin/bots/replace/documents/guides:sso.md"))).status).toBe(404);
  });

  it("refuses calls without the admin token (401) and never writes", async () => {
    const before = await vectorCount();
    for (const token of [null, "wrong-token", `${TOKEN}x`]) {
      const responses = [
        await call(admin("POST", "/v1/admin/bots/locked/documents", { documents: [sso] }, token)),
        await call(admin("GET", "/v1/admin/bots/locked/documents", undefined, token)),
        await call(admin("DELETE", "/v1/admin/bots/locked/documents/guides:sso.md", undefined, token)),
      ];
      for (const response of responses) {
        expect(response.status).toBe(401);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
      }
    }
    expect(await vectorCount()).toBe(before);
  });

  it("keeps bots apart: one bot's documents are invisible to, and cannot be deleted through, another", async () => {
    await call(admin("POST", "/v1/admin/bots/bot-a/documents", { documents: [backups] }));
    const beforeDelete = await vectorCount();
    const crossDelete = await call(admin("DELETE", "/v1/admin/bots/bot-b/documents/backups.html"));
    expect(crossDelete.status).toBe(404);
    expect(await vectorCount()).toBe(beforeDelete);
    const listB = (await (await call(admin("GET", "/v1/admin/bots/bot-b/documents"))).json()) as { documents: unknown[] };
    expect(listB.documents).toEqual([]);
    expect(await ids("bot-b", "database backups snapshots")).toEqual([]);
    expect(await ids("bot-a", "database backups snapshots")).toEqual(["backups.html#0"]);
  });

  it("validates input with clear JSON errors", async () => {
    const cases: [unknown, number, string, string][] = [
      [{ documents: [{ ...sso, url: "javascript:alert(1)" }] }, 400, "invalid_request", "url"],
      [{ documents: [{ ...sso, url: "//evil.test/x" }] }, 400, "invalid_request", "url"],
      [{ documents: [{ ...sso, id: "../etc/passwd" }] }, 400, "invalid_request", "id"],
      [{ documents: [{ ...sso, format: "pdf" }] }, 400, "invalid_request", "format"],
      [{ documents: [{ ...sso, title: "" }] }, 400, "invalid_request", "title"],
      [{ documents: [sso, sso] }, 400, "invalid_request", "twice"],
      [{ documents: [] }, 400, "invalid_request", "empty"],
      [{ docs: [] }, 400, "invalid_request", "documents"],
      [{ documents: [{ ...sso, content: "x".repeat(2 * 1024 * 1024 + 1) }] }, 413, "document_too_large", "larger"],
    ];
    for (const [body, status, code, word] of cases) {
      const response = await call(admin("POST", "/v1/admin/bots/valid/documents", body));
      expect(response.status).toBe(status);
      const error = ((await response.json()) as { error: { code: string; message: string } }).error;
      expect(error.code).toBe(code);
      expect(error.message).toContain(word);
    }
    expect((await call(admin("POST", "/v1/admin/bots/Not_A_Bot/documents", { documents: [sso] }))).status).toBe(400);
    const empty = (await (await call(admin("POST", "/v1/admin/bots/valid/documents", { documents: [{ ...sso, content: "<script>x()</script>", format: "html" }] }))).json()) as { results: { status: string; error: string }[] };
    expect(empty.results[0]).toMatchObject({ status: "failed" });
    expect(empty.results[0]!.error).toContain("no text");
  });

  it("refuses an embedding model whose dimensions differ from the index's, at ingest and at query time", async () => {
    const mismatched: EdgechatEnv = { ...testEnv, EDGECHAT_EMBEDDING_DIMENSIONS: "256" };
    const response = await call(admin("POST", "/v1/admin/bots/dims/documents", { documents: [sso] }), mismatched);
    const { results } = (await response.json()) as { results: { status: string; error: string }[] };
    expect(results[0]!.status).toBe("failed");
    expect(results[0]!.error).toMatch(/256-dimension vectors but the vector index has 384 dimensions/);
    const models = modelsFromEnv(mismatched);
    const query = retrievePassages(
      { index: createLocalVectorize(testEnv.VECTOR_INDEX!, { dimensions: 256, metric: "cosine" }), embedding: models.embedding! },
      { botId: "dims", question: "SAML" },
    );
    await expect(query).rejects.toThrow(/256-dimension vectors but the vector index has 384 dimensions/);
  });
});

describe("ingestion failures", () => {
  it("records a failed document with every vector id it may have written, so a later delete leaves nothing behind", async () => {
    const { ingestDocuments, deleteDocument } = await import("../rag/ingest-documents");
    const { DocumentRegistry } = await import("../rag/document-registry");
    const before = await vectorCount();
    const real = index();
    const deps = { db: testEnv.DB!, index: real, embedding: createOfflineEmbeddingModel({ wordVectors: bundledWordVectors() }) };
    const long = { ...sso, format: "markdown" as const, content: `${sso.content}\n\n## Audit\n\nAudit entries are kept for a year.` };
    expect((await ingestDocuments(deps, "failing", [long]))[0]).toMatchObject({ status: "indexed", chunks: 3 });
    // The index accepts the upsert, then fails: the document must end up "failed", not "ready".
    const flaky = {
      describe: () => real.describe(),
      upsert: async (vectors: VectorizeVector[]) => {
        await real.upsert(vectors);
        throw new Error("index went away");
      },
      deleteByIds: (ids: string[]) => real.deleteByIds(ids),
    } as unknown as Vectorize;
    const shorter = { ...sso, format: "markdown" as const, content: "# SSO\n\nOnly Okta is supported, set up by your account manager." };
    const [result] = await ingestDocuments({ ...deps, index: flaky }, "failing", [shorter]);
    expect(result).toMatchObject({ status: "failed", error: "index went away" });
    const record = await new DocumentRegistry(testEnv.DB!).get("failing", sso.id);
    expect(record).toMatchObject({ status: "failed", chunkCount: 3, error: "index went away" });
    expect(await deleteDocument(deps, "failing", sso.id)).toBe(true);
    expect(await vectorCount()).toBe(before);
  });
});
