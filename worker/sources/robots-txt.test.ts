import { describe, expect, it } from "vitest";
import { parseRobotsTxt } from "./robots-txt";

describe("parseRobotsTxt", () => {
  const text = "User-agent: *\nDisallow: /\n\nUser-agent: edgechat\nUser-agent: other\nDisallow: /private/\nAllow: /private/open$\nDisallow: /*.pdf$\nCrawl-delay: 2\n";

  it("uses the group naming edgechat, longest rule first, with * and $ patterns", () => {
    const rules = parseRobotsTxt(text, "edgechat");
    expect(rules.allows("/docs/a.html")).toBe(true);
    expect(rules.allows("/private/secret")).toBe(false);
    expect(rules.allows("/private/open")).toBe(true);
    expect(rules.allows("/private/open/more")).toBe(false);
    expect(rules.allows("/files/manual.pdf")).toBe(false);
    expect(rules.crawlDelaySeconds).toBe(2);
  });

  it("falls back to the * group, and allows everything without rules", () => {
    expect(parseRobotsTxt(text, "somebot").allows("/docs/")).toBe(false);
    expect(parseRobotsTxt("", "edgechat").allows("/anything")).toBe(true);
  });
});
