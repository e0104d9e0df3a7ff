/** The rules of a robots.txt that apply to one user agent. */
export interface RobotsRules {
  allows(path: string): boolean;
  /** Seconds between requests the site asks for, if any. */
  crawlDelaySeconds?: number;
}

/**
 * Reads robots.txt for `agent` (the group naming it, else the `*` group). Longest matching rule wins,
 * Allow over Disallow on a tie; `*` and `$` patterns as Google documents them.
 *
 * @example
 * parseRobotsTxt("User-agent: *\nDisallow: /private/", "edgechat").allows("/private/a") // false
 */
export function parseRobotsTxt(text: string, agent: string): RobotsRules {
  const groups: { agents: string[]; rules: { allow: boolean; pattern: string }[]; delay?: number }[] = [];
  let current: (typeof groups)[number] | undefined;
  let lastWasAgent = false;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/#.*/, "").trim();
    const match = /^([a-z-]+)\s*:\s*(.*)$/i.exec(line);
    if (!match) continue;
    const field = match[1]!.toLowerCase();
    const value = match[2]!.trim();
    if (field === "user-agent") {
      if (!current || !lastWasAgent) groups.push((current = { agents: [], rules: [] }));
      current.agents.push(value.toLowerCase());
      lastWasAgent = true;
      continue;
    }
    lastWasAgent = false;
    if (!current) continue;
    if (field === "allow" || field === "disallow") {
      if (value) current.rules.push({ allow: field === "allow", pattern: value });
    } else if (field === "crawl-delay") {
      const seconds = Number(value);
      if (Number.isFinite(seconds) && seconds >= 0) current.delay = seconds;
    }
  }
  const name = agent.toLowerCase();
  const group = groups.find((entry) => entry.agents.some((value) => value !== "*" && name.startsWith(value))) ?? groups.find((entry) => entry.agents.includes("*"));
  const rules = (group?.rules ?? []).map((rule) => ({ ...rule, regex: patternRegex(rule.pattern) }));
  return {
    crawlDelaySeconds: group?.delay,
    allows(path: string) {
      let best: { allow: boolean; length: number } | undefined;
      for (const rule of rules) {
        if (!rule.regex.test(path)) continue;
        if (!best || rule.pattern.length > best.length || (rule.pattern.length === best.length && rule.allow)) best = { allow: rule.allow, length: rule.pattern.length };
      }
      return best?.allow ?? true;
    },
  };
}

function patternRegex(pattern: string): RegExp {
  const anchored = pattern.endsWith("$");
  const body = (anchored ? pattern.slice(0, -1) : pattern)
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${body}${anchored ? "$" : ""}`);
}
