import { useState } from "preact/hooks";

/** A read-only value (an invitation link, a new API key) with a copy button. */
export function CopyField({ id, label, value, hint }: { id: string; label: string; value: string; hint?: string }) {
  const [status, setStatus] = useState<string>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setStatus("Copied.");
    } catch {
      (document.getElementById(id) as HTMLInputElement | null)?.select();
      setStatus("Copying was refused: the text is selected, copy it with your keyboard.");
    }
  };
  return (
    <div class="field copy-field">
      <label for={id}>{label}</label>
      {hint ? <p class="hint">{hint}</p> : null}
      <div class="copy-row">
        <input id={id} type="text" readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" onClick={copy}>
          Copy
        </button>
      </div>
      <span role="status" class="copy-status">
        {status}
      </span>
    </div>
  );
}
