import { useEffect, useRef, useState } from "preact/hooks";
import type { WidgetHandle } from "../../widget/mount";

export interface PreviewOptions {
  title: string;
  greeting: string;
  starterQuestions: string[];
  theme: "light" | "dark" | "auto";
  primaryColor?: string;
  aiNotice?: string;
  showTierBadge: boolean;
}

/** The preview's requests skip the browser cache, so its copy of the bot's config never outlives a save. */
const uncached: typeof fetch = (input, init) => fetch(input, { ...init, cache: "no-store" });

/**
 * The real widget (the npm build's mount(), loaded on first use so the console's first page stays small),
 * talking to this worker as the bot, with the unsaved appearance as options. Options win over the saved
 * config the widget loads, so the preview changes as the form does, before saving.
 */
export function WidgetPreview({ botId, options }: { botId: string; options: PreviewOptions }) {
  const host = useRef<HTMLDivElement>(null);
  const widget = useRef<WidgetHandle | undefined>(undefined);
  const [failed, setFailed] = useState(false);
  const key = JSON.stringify(options);

  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(() => {
      import("../../widget/mount")
        .then(({ mount }) => {
          if (cancelled || !host.current) return;
          // mount() keeps one widget per element: a new element takes the new options.
          widget.current?.destroy();
          const element = document.createElement("div");
          element.className = "preview-widget";
          host.current.replaceChildren(element);
          // An open widget takes the focus: give it back, so typing in the form goes on undisturbed.
          const active = document.activeElement as HTMLElement | null;
          const giveBack = () => active && active !== document.body && !host.current?.contains(active) && active.focus();
          element.addEventListener("focusin", giveBack, { once: true });
          setTimeout(() => element.removeEventListener("focusin", giveBack), 1000);
          widget.current = mount(element, { ...options, bot: botId || undefined, endpoint: location.origin, open: true, persist: false, feedback: false, fetch: uncached });
        })
        .catch(() => setFailed(true));
    }, 120);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [botId, key]);

  useEffect(() => () => widget.current?.destroy(), []);

  return (
    <section class="preview" aria-labelledby="preview-heading">
      <h2 id="preview-heading">Live preview</h2>
      <p class="hint">The real widget with your unsaved changes. Questions asked here are real conversations of this bot.</p>
      {failed ? <p class="notice error">The preview could not load.</p> : null}
      <div class="preview-frame" ref={host} />
    </section>
  );
}
