import { Link, botPath, type BotSection } from "../router";

/**
 * The pages of one bot, in the order of the tabs. Later issues add theirs here
 * ("Conversations", "Corrections", "Sources") with a section in router.tsx.
 */
export const BOT_PAGES: readonly { section: BotSection; label: string }[] = [
  { section: "settings", label: "Settings" },
  { section: "documents", label: "Documents" },
  { section: "analytics", label: "Analytics" },
  { section: "conversations", label: "Conversations" },
  { section: "corrections", label: "Corrections" },
  { section: "sources", label: "Sources" },
];

/** The tabs of a bot's pages, the current one marked for assistive technology. */
export function BotTabs({ botId, current }: { botId: string; current: BotSection }) {
  return (
    <nav class="tabs" aria-label="Bot pages">
      <ul>
        {BOT_PAGES.map((page) => (
          <li key={page.section}>
            <Link href={botPath(botId, page.section)} aria-current={page.section === current ? "page" : undefined}>
              {page.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
