import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { ApiError, messageOf } from "../api/console-api";
import { saveCorrection, type Correction, type CorrectionFields } from "../api/corrections-api";
import { Notice, TextInput } from "./form-field";

export interface CorrectionEditorProps {
  botId: string;
  /** The starting texts, e.g. the visitor's question and the bot's answer ("Correct this" on a transcript). */
  initial?: { question: string; answer: string; phrasings?: string[]; sources?: { title: string; url: string }[] };
  /** Given: the editor replaces this correction (PUT); absent: it adds a new one (POST). */
  correctionId?: string;
  onSaved: (correction: Correction) => void;
  /** Given: a Cancel button calls it. */
  onCancel?: () => void;
}

type FieldName = "question" | "phrasings" | "answer" | "sources";

/**
 * The form that writes a curated answer: the question, more phrasings (one per line), the right answer in
 * Markdown and optional links (one per line, `Title | https://…`). Used by the Corrections page (add, edit) and
 * by a transcript's "Correct this" (prefilled with the visitor's question and the bot's answer).
 *
 * @example
 * <CorrectionEditor botId="demo" initial={{ question: "Do you ship to Canada?", answer: "We do not." }} onSaved={close} />
 */
export function CorrectionEditor({ botId, initial, correctionId, onSaved, onCancel }: CorrectionEditorProps) {
  const [question, setQuestion] = useState(initial?.question ?? "");
  const [phrasings, setPhrasings] = useState((initial?.phrasings ?? []).join("\n"));
  const [answer, setAnswer] = useState(initial?.answer ?? "");
  const [sources, setSources] = useState((initial?.sources ?? []).map((source) => `${source.title} | ${source.url}`).join("\n"));
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [failure, setFailure] = useState<string>();
  const [saving, setSaving] = useState(false);
  const id = `correction-${correctionId ?? "new"}`;
  const form = useRef<HTMLFormElement>(null);

  // The question takes the focus as the editor is drawn, in the same step: a focus moved a frame later could land
  // after the person has clicked into another field and send what they type into the question.
  useLayoutEffect(() => form.current?.querySelector<HTMLElement>("[data-autofocus]")?.focus(), []);

  const submit = async (event: Event) => {
    event.preventDefault();
    const fields = correctionFields(question, phrasings, answer, sources);
    const problems = "errors" in fields ? fields.errors : {};
    setErrors(problems);
    setFailure(undefined);
    if ("errors" in fields) return;
    setSaving(true);
    try {
      onSaved(await saveCorrection(botId, fields, correctionId));
    } catch (error) {
      const message = messageOf(error);
      const field = error instanceof ApiError && error.code === "invalid_correction" ? fieldOfMessage(message) : undefined;
      if (field) setErrors({ [field]: message.replace(/^correction\./, "") });
      else setFailure(messageOf(error));
    } finally {
      setSaving(false);
    }
  };

  const errorsOf = (name: FieldName) => (errors[name] ? [errors[name]!] : []);
  // While saving, the fields take no typing: the editor closes with what was sent, and anything typed meanwhile would go with it.
  return (
    <form ref={form} class="correction-editor card" onSubmit={(event) => void submit(event)} noValidate aria-label={correctionId ? "Edit correction" : "New correction"}>
      {failure ? <Notice tone="error">{failure}</Notice> : null}
      <TextInput id={`${id}-question`} label="Question" value={question} onInput={setQuestion} errors={errorsOf("question")} hint="As a visitor asks it." required autoFocus readOnly={saving} />
      <TextInput id={`${id}-phrasings`} label="Other phrasings (optional)" value={phrasings} onInput={setPhrasings} errors={errorsOf("phrasings")} hint="One per line: other ways visitors ask the same thing." multiline rows={3} readOnly={saving} />
      <TextInput id={`${id}-answer`} label="Right answer" value={answer} onInput={setAnswer} errors={errorsOf("answer")} hint="Markdown. Visitors whose question matches get exactly this answer." multiline rows={6} required readOnly={saving} />
      <TextInput id={`${id}-sources`} label="Links (optional)" value={sources} onInput={setSources} errors={errorsOf("sources")} hint="One per line: Title | https://…" multiline rows={2} readOnly={saving} />
      <div class="actions">
        <button type="submit" class="primary" disabled={saving}>
          {saving ? "Saving…" : correctionId ? "Save correction" : "Add correction"}
        </button>
        {onCancel ? (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}

/**
 * The form's texts as the API's fields, or a message per field (the server checks again, with its limits).
 *
 * @example
 * correctionFields("Q?", "", "A.", "Shipping | https://shop.example/shipping")
 */
export function correctionFields(question: string, phrasings: string, answer: string, sources: string): CorrectionFields | { errors: Partial<Record<FieldName, string>> } {
  const errors: Partial<Record<FieldName, string>> = {};
  if (!question.trim()) errors.question = "Write the question.";
  if (!answer.trim()) errors.answer = "Write the right answer.";
  const links: { title: string; url: string }[] = [];
  for (const line of lines(sources)) {
    const bar = line.lastIndexOf("|");
    const url = (bar < 0 ? line : line.slice(bar + 1)).trim();
    const title = bar < 0 ? url.replace(/^https?:\/\//, "") : line.slice(0, bar).trim();
    if (!/^https?:\/\/\S+$/i.test(url)) errors.sources = `"${line.slice(0, 60)}" needs an http:// or https:// link.`;
    else links.push({ title: title || url, url });
  }
  if (Object.keys(errors).length) return { errors };
  return { question: question.trim(), phrasings: lines(phrasings), answer: answer.trim(), sources: links };
}

const lines = (text: string) =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);

/** The field a server message names ("correction.sources[0].url must be…" → sources). */
function fieldOfMessage(message: string): FieldName | undefined {
  return /^correction\.(question|phrasings|answer|sources)\b/.exec(message)?.[1] as FieldName | undefined;
}
