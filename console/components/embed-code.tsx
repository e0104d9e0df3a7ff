import { useState } from "preact/hooks";
import { embedSnippets } from "../embed-snippets";

/** The embed snippets of a bot, one tab each, with a copy button. */
export function EmbedCode({ botId }: { botId: string }) {
  const snippets = embedSnippets(location.origin, botId);
  const [current, setCurrent] = useState(0);
  const [copied, setCopied] = useState<string>();
  const snippet = snippets[current]!;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(snippet.code);
      setCopied(`${snippet.label} copied.`);
    } catch {
      setCopied("Copying was refused: select the code and copy it.");
    }
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    const next = (current + step + snippets.length) % snippets.length;
    setCurrent(next);
    setCopied(undefined);
    document.getElementById(`embed-tab-${snippets[next]!.id}`)?.focus();
  };
  return (
    <section class="embed" aria-labelledby="embed-heading">
      <h2 id="embed-heading">Add it to your site</h2>
      <div role="tablist" aria-label="Ways to embed" class="segmented" onKeyDown={onKeyDown}>
        {snippets.map((s, index) => (
          <button key={s.id} id={`embed-tab-${s.id}`} type="button" role="tab" aria-selected={index === current} aria-controls="embed-panel" tabIndex={index === current ? 0 : -1} onClick={() => (setCurrent(index), setCopied(undefined))}>
            {s.label}
          </button>
        ))}
      </div>
      <div id="embed-panel" role="tabpanel" aria-labelledby={`embed-tab-${snippet.id}`}>
        <pre class="code" tabIndex={0}>
          <code>{snippet.code}</code>
        </pre>
        <button type="button" class="copy" onClick={copy}>
          Copy
        </button>
        <span class="copy-status" role="status">
          {copied}
        </span>
      </div>
    </section>
  );
}
