import { describe, expect, it } from "vitest";
import { analyzeQuestion } from "./question-shape";

describe("analyzeQuestion", () => {
  it("counts questions by question marks, enumerations and joined clauses", () => {
    expect(analyzeQuestion("How much is Pro?").questions).toBe(1);
    expect(analyzeQuestion("How much is Pro? And can I pay yearly?").questions).toBe(2);
    expect(analyzeQuestion("1. How do I rotate a token?\n2. Do old tokens stop working?\n3. What about CI?").questions).toBe(3);
    expect(analyzeQuestion("How do backups work and how would I restore one table?").questions).toBe(2);
    expect(analyzeQuestion("How much does it cost and how long does it take?").questions).toBe(2);
    expect(analyzeQuestion("What's the max request size?").questions).toBe(1);
  });

  it("recognises troubleshooting, attempts already made, and first-person situations", () => {
    expect(analyzeQuestion("My deploy keeps failing").troubleshooting).toBe(true);
    expect(analyzeQuestion("It times out since yesterday").troubleshooting).toBe(true);
    expect(analyzeQuestion("How do I restore a backup?").troubleshooting).toBe(false);
    expect(analyzeQuestion("I redeployed twice and it still connects to localhost").alreadyTried).toBe(true);
    expect(analyzeQuestion("We moved to Frankfurt last week and since then our database queries from production take much longer than before.").situation).toBe(true);
    expect(analyzeQuestion("Can I change my email?").situation).toBe(false);
  });

  it("tells a reported malfunction from a question about errors", () => {
    for (const report of ["site not loading", "my app keeps restarting", "getting 502 errors on my app", "Build stuck at installing dependencies", "My deploy failed.",
      "password reset email never arrives", "my custom domain shows the default page instead of my app",
      "Health check keeps flapping between healthy and unhealthy every few minutes."]) {
      expect(analyzeQuestion(report).symptomReport, report).toBe(true);
    }
    for (const lookup of ["What does error E1042 mean?", "What happens if my card payment fails?", "I can't find the invoices page", "Do SSL certificates renew automatically?"]) {
      expect(analyzeQuestion(lookup).symptomReport, lookup).toBe(false);
    }
  });

  it("recognises code, logs, config and requests for code", () => {
    expect(analyzeQuestion("Error: listen EADDRINUSE :::3000").code).toBe(true);
    expect(analyzeQuestion("Here is my config:\n```\nport = 8080\n```").code).toBe(true);
    expect(analyzeQuestion("web: gunicorn app:app --workers 4").code).toBe(true);
    expect(analyzeQuestion("I set DATABASE_URL but it is ignored").code).toBe(true);
    expect(analyzeQuestion("Do you support HTTP/3?").code).toBe(false);
    expect(analyzeQuestion("Can you write a Dockerfile for my Django app?").artifactRequest).toBe(true);
    expect(analyzeQuestion("Can you write me a poem about the sea?").artifactRequest).toBe(false);
  });

  it("recognises comparisons, advice, planning, constraints and figures", () => {
    expect(analyzeQuestion("Pro vs Business?").comparison).toBe(true);
    expect(analyzeQuestion("Object storage or the database for user uploads?").comparison).toBe(true);
    expect(analyzeQuestion("Can I pay with PayPal or a card?").comparison).toBe(false);
    expect(analyzeQuestion("Should I add more instances?").advice).toBe(true);
    expect(analyzeQuestion("What's the cleanest way to run migrations?").advice).toBe(true);
    expect(analyzeQuestion("How do I migrate with zero downtime?").planning).toBe(2);
    expect(analyzeQuestion("How can we connect to our VPC securely?").constraints).toBe(true);
    expect(analyzeQuestion("Why did my bill go from $40 to $180?").figures).toBe(2);
  });

  it("recognises explicit requests for depth", () => {
    expect(analyzeQuestion("Please give me a detailed answer").explicitRequest).toBe(true);
    expect(analyzeQuestion("Walk me through it step by step").explicitRequest).toBe(true);
    expect(analyzeQuestion("How do I add a domain?").explicitRequest).toBe(false);
  });
});
