import { useEffect, useLayoutEffect, useState } from "preact/hooks";
import { consoleApi, whenSignedOut } from "./api/console-api";
import type { Member } from "./api/console-types";
import { Link, navigate, parseConsoleRoute, useLocation, type ConsoleRoute } from "./router";
import { SessionContext, isAdmin } from "./session-context";
import { SignInPage } from "./pages/sign-in-page";
import { InvitePage } from "./pages/invite-page";
import { BotsPage } from "./pages/bots-page";
import { NewBotPage } from "./pages/new-bot-page";
import { BotSettingsPage } from "./pages/bot-settings-page";
import { DocumentsPage } from "./pages/documents-page";
import { AnalyticsPage } from "./pages/analytics-page";
import { CorrectionsPage } from "./pages/corrections-page";
import { SourcesPage } from "./pages/sources-page";
import { MembersPage } from "./pages/members-page";
import { ApiKeysPage } from "./pages/api-keys-page";
import { ConversationsPage } from "./pages/conversations-page";
import { ConversationPage } from "./pages/conversation-page";
import { HandoffNotice } from "./components/handoff-notice";
import { mayTakeOver } from "./api/conversations-api";

/** The console: who is signed in decides between the sign-in pages and the signed-in layout. */
export function App() {
  const location = useLocation();
  const route = parseConsoleRoute(location.pathname, location.search);
  const [member, setMember] = useState<Member | null | undefined>(undefined);

  useEffect(() => {
    whenSignedOut(() => setMember(null));
    consoleApi<{ member: Member }>("GET", "/v1/console/me", undefined, { quiet401: true })
      .then((body) => setMember(body.member))
      .catch(() => setMember(null));
  }, []);

  const publicPage = route.page === "sign-in" || route.page === "invite";
  useEffect(() => {
    if (member === null && !publicPage) navigate(`/admin/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
    if (member && route.page === "sign-in") navigate(route.next ?? "/admin", { replace: true });
  }, [member, publicPage, route.page]);

  const loaded = member !== undefined;
  useLayoutEffect(() => {
    document.title = `${titleOf(route)} · edgechat console`;
    // Move focus to the new page (its first field when it asks for one, else its heading), so keyboard and
    // screen-reader users start there; as the page is drawn, not a frame later, when the person may have
    // clicked into another field already.
    if (loaded) (document.querySelector<HTMLElement>("main [data-autofocus]") ?? document.querySelector<HTMLElement>("main h1"))?.focus();
  }, [location.pathname, loaded]);

  if (route.page === "invite") return <InvitePage onSignedIn={(m) => (setMember(m), navigate("/admin"))} />;
  if (member === undefined) return <p class="loading" role="status">Loading…</p>;
  if (!member) return route.page === "sign-in" ? <SignInPage onSignedIn={setMember} /> : null;

  return (
    <SessionContext.Provider value={{ member, setMember }}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <Link href="/admin" class="brand">
          edgechat
        </Link>
        <nav aria-label="Console">
          <ul>
            <li>
              <Link href="/admin" aria-current={route.page === "bots" ? "page" : undefined}>
                Bots
              </Link>
            </li>
            {isAdmin(member) ? (
              <>
                <li>
                  <Link href="/admin/members" aria-current={route.page === "members" ? "page" : undefined}>
                    Members
                  </Link>
                </li>
                <li>
                  <Link href="/admin/api-keys" aria-current={route.page === "api-keys" ? "page" : undefined}>
                    API keys
                  </Link>
                </li>
              </>
            ) : null}
          </ul>
        </nav>
        <div class="who">
          <span class="member-name">{member.displayName || member.name}</span>
          <button type="button" class="link-button" onClick={() => void signOut(() => setMember(null))}>
            Sign out
          </button>
        </div>
      </header>
      {mayTakeOver(member) ? <HandoffNotice /> : null}
      <main id="main">
        <Page route={route} />
      </main>
    </SessionContext.Provider>
  );
}

function Page({ route }: { route: ConsoleRoute }) {
  switch (route.page) {
    case "bots":
      return <BotsPage />;
    case "new-bot":
      return <NewBotPage />;
    case "bot":
      if (route.section === "documents") return <DocumentsPage botId={route.botId} />;
      if (route.section === "analytics") return <AnalyticsPage botId={route.botId} />;
      if (route.section === "conversations") return <ConversationsPage botId={route.botId} />;
      if (route.section === "corrections") return <CorrectionsPage botId={route.botId} />;
      if (route.section === "sources") return <SourcesPage botId={route.botId} />;
      return <BotSettingsPage key={route.botId} botId={route.botId} />;
    case "conversation":
      return <ConversationPage key={`${route.botId}/${route.sessionId}`} botId={route.botId} sessionId={route.sessionId} />;
    case "members":
      return <MembersPage />;
    case "api-keys":
      return <ApiKeysPage />;
    default:
      return (
        <>
          <h1 tabIndex={-1}>Page not found</h1>
          <p>
            There is no console page here. <Link href="/admin">Back to your bots</Link>
          </p>
        </>
      );
  }
}

async function signOut(done: () => void) {
  await consoleApi("POST", "/v1/console/sign-out").catch(() => undefined);
  done();
  navigate("/admin/sign-in", { replace: true });
}

function titleOf(route: ConsoleRoute): string {
  switch (route.page) {
    case "sign-in":
      return "Sign in";
    case "invite":
      return "Accept invitation";
    case "bots":
      return "Bots";
    case "new-bot":
      return "New bot";
    case "bot":
      return `${route.botId} ${route.section}`;
    case "conversation":
      return `${route.botId} conversation`;
    case "members":
      return "Members";
    case "api-keys":
      return "API keys";
    default:
      return "Not found";
  }
}
