import { describe, expect, it } from "vitest";
import type { LanguageModelV3Prompt } from "@ai-sdk/provider";
import { groundedPrompt } from "../rag/grounded-prompt";
import type { Passage } from "../rag/retrieve-passages";
import { bundledWordVectors } from "../test-support/bundled-word-vectors";
import { defaultOfflineAnswer } from "./offline-language-model";

function passage(documentId: string, text: string): Passage {
  return { documentId, chunkIndex: 0, title: documentId, url: `/${documentId}`, heading: "", text };
}

function ask(question: string, passages: Passage[]): string {
  const { system } = groundedPrompt("You help with Acme Cloud.", passages);
  const prompt: LanguageModelV3Prompt = [
    { role: "system", content: system },
    { role: "user", content: [{ type: "text", text: question }] },
  ];
  return defaultOfflineAnswer(prompt, bundledWordVectors());
}

describe("offline model's extractive answer", () => {
  it("quotes the sentence that shares the question's rare words, with its citation", () => {
    const answer = ask("How long are logs kept on the Pro plan?", [
      passage("logs", "Logs are kept for 7 days on the Pro plan and 30 days on Business."),
      passage("billing", "Invoices are emailed on the first day of each month."),
    ]);
    expect(answer).toContain("Logs are kept for 7 days on the Pro plan and 30 days on Business. [1]");
    expect(answer).not.toContain("[2]");
  });

  it("also quotes a sentence that says the same thing in other words, under a heading that names the subject", () => {
    // "ongoing" and "outage" appear in no sentence; the status sentence speaks of incidents and downtime,
    // under a heading about outages.
    const answer = ask("Where can I see if there is an ongoing outage?", [
      passage("projects", "Developers can see every project in the workspace."),
      { ...passage("status", "Incidents and planned downtime are announced on the status page within 15 minutes."), heading: "Status page > Outages and incidents" },
    ]);
    expect(answer).toContain("Incidents and planned downtime are announced on the status page within 15 minutes. [2]");
    expect(answer).not.toContain("Developers can see");
  });

  it("shows the relevant rows of a table as a compact Markdown table, with its citation", () => {
    const plans = { ...passage("plans", ["Acme Cloud has three plans.", "", "| | Free | Pro | Business |", "|---|---|---|---|", "| Price | $0 | $20 per member | $45 per member |", "| Projects | 2 | unlimited | unlimited |", "| Log retention | 1 day | 7 days | 30 days |"].join("\n")), title: "Plans and pricing", heading: "Plans and pricing" };
    const dns = passage("dns", "Then create the DNS record we show you at your DNS provider.");
    const answer = ask("What plans are there and what do they cost?", [plans, dns]);
    expect(answer).toContain("Plans and pricing [1]:\n\n| | Free | Pro | Business |\n|---|---|---|---|\n| Price | $0 | $20 per member | $45 per member |");
    expect(answer).not.toContain("| Log retention");
    expect(answer).not.toContain("DNS");
    // A question naming a column gets that column only, next to the row labels.
    expect(ask("How long are logs kept on the Pro plan?", [plans])).toContain("| | Pro |\n|---|---|\n| Log retention | 7 days |");
  });

  it("reads a table of an HTML page (rows without a separator) with its first row as the header", () => {
    const sizes = { ...passage("sizes", "| size | vCPU | memory |\n| small | 0.5 | 512 MB |\n| large | 2 | 4 GB |"), title: "Instance sizes" };
    expect(ask("How much memory does a large instance have?", [sizes])).toContain("| size | memory |\n|---|---|\n| large | 4 GB |");
  });

  it("quotes nothing unrelated: it says it found nothing when no sentence is about the question", () => {
    const answer = ask("Show me a picture of a friendly robot mascot", [
      passage("dns", "Then create the DNS record we show you at your DNS provider."),
      passage("metrics", "The Metrics tab shows CPU, memory, request rate and response time per service, for the last 30 days."),
    ]);
    expect(answer).toMatch(/^I found nothing in the documentation about "Show me a picture of a friendly robot mascot"/);
  });

  it("never ends a quote inside a price or version", () => {
    const answer = ask("What does extra bandwidth cost?", [passage("pricing", "Extra bandwidth costs $0.08 per GB and extra build minutes cost $0.005 per minute. Use v4.2.1 of the CLI, e.g. for exports.")]);
    expect(answer).toContain("Extra bandwidth costs $0.08 per GB and extra build minutes cost $0.005 per minute. [1]");
  });

  it("says plainly that it found nothing when no source matched", () => {
    expect(ask("Who won the 1998 world cup?", [])).toMatch(/^I found nothing in the documentation about "Who won the 1998 world cup\?"/);
  });
});
