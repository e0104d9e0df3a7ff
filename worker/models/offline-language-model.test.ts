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

  it("also quotes a sentence that says the same thing in other words", () => {
    // "outage" and "ongoing" appear nowhere; the status sentence speaks of incidents and downtime.
    const answer = ask("Where can I see if there is an ongoing outage?", [
      passage("projects", "Developers can see every project in the workspace."),
      passage("status", "Incidents and planned downtime are announced on the status page within 15 minutes."),
    ]);
    expect(answer).toContain("Incidents and planned downtime are announced on the status page within 15 minutes. [2]");
  });

  it("says plainly that it found nothing when no source matched", () => {
    expect(ask("Who won the 1998 world cup?", [])).toMatch(/^I found nothing in the documentation about "Who won the 1998 world cup\?"/);
  });
});
