import { useEffect, useState } from "preact/hooks";
import { ApiError, messageOf } from "../api/console-api";
import { deleteBot, getBot, saveBot } from "../api/bots-api";
import type { BotSettings } from "../api/console-types";
import { botFromForm, formFromBot, previewOptions, type BotForm, type FieldErrors } from "../bot-form";
import { BotSettingsForm } from "../components/bot-settings-form";
import { BotTabs } from "../components/bot-tabs";
import { EmbedCode } from "../components/embed-code";
import { Notice } from "../components/form-field";
import { WidgetPreview } from "../components/widget-preview";
import { navigate } from "../router";
import { canEdit, isAdmin, useSession } from "../session-context";

/** /admin/bots/:id: every setting, a live preview of the unsaved settings, and the embed code. */
export function BotSettingsPage({ botId }: { botId: string }) {
  const { member } = useSession();
  const [original, setOriginal] = useState<BotSettings>();
  const [handoffSecret, setHandoffSecret] = useState<string>();
  const [form, setForm] = useState<BotForm>();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [notice, setNotice] = useState<{ tone: "error" | "success"; text: string }>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    getBot(botId).then(
      ({ settings, handoffSecret }) => {
        setOriginal(settings);
        setHandoffSecret(handoffSecret);
        setForm(formFromBot(botId, settings));
      },
      (failure) => setNotice({ tone: "error", text: failure instanceof ApiError && failure.status === 404 ? "There is no bot with this id in your scope." : messageOf(failure) }),
    );
  }, [botId]);

  const onChange = (next: BotForm) => {
    setForm(next);
    // Re-check as people type, but only the fields that already show a message.
    if (Object.keys(errors).length) setErrors(botFromForm(next, original).errors);
  };

  const save = async (event: Event) => {
    event.preventDefault();
    if (!form) return;
    const { settings, errors: found } = botFromForm(form, original);
    setErrors(found);
    setNotice(undefined);
    if (Object.keys(found).length) {
      setNotice({ tone: "error", text: "Some settings need a fix: see the messages next to them." });
      focusFirstInvalid();
      return;
    }
    setBusy(true);
    const sent = form;
    try {
      const saved = await saveBot(botId, settings);
      setOriginal(saved.settings);
      // The form shows the saved settings only if it still holds what was sent: edits made while saving stay.
      setForm((current) => (current === sent ? formFromBot(botId, saved.settings) : current));
      setNotice({ tone: "success", text: "Saved. Visitors see the new settings within a minute (widgets keep a bot's settings for 60 s)." });
    } catch (failure) {
      if (failure instanceof ApiError && Object.keys(failure.fields).length) {
        setErrors(failure.fields);
        focusFirstInvalid();
      }
      setNotice({ tone: "error", text: messageOf(failure) });
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!confirm(`Delete the bot "${original?.name ?? botId}" and its documents? This cannot be undone.`)) return;
    try {
      await deleteBot(botId);
      navigate("/admin");
    } catch (failure) {
      setNotice({ tone: "error", text: messageOf(failure) });
    }
  };

  const editable = canEdit(member);
  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1}>
          <span class="bot-title">{original?.name ?? botId}</span>
        </h1>
        <a class="button" href={`/b/${encodeURIComponent(botId)}`} target="_blank" rel="noopener">
          Open hosted page<span class="sr-only"> (new tab)</span>
        </a>
      </div>
      <BotTabs botId={botId} current="settings" />
      {notice ? <Notice tone={notice.tone}>{notice.text}</Notice> : null}
      {form ? (
        <div class="settings-layout">
          <form class="settings-form" onSubmit={save} noValidate>
            <BotSettingsForm form={form} onChange={onChange} errors={errors} readOnly={!editable} handoffSecret={handoffSecret} />
            {editable ? (
              <div class="actions sticky-actions">
                <button type="submit" class="primary" disabled={busy}>
                  {busy ? "Saving…" : "Save changes"}
                </button>
                <button type="button" onClick={() => (setForm(formFromBot(botId, original!)), setErrors({}), setNotice(undefined))} disabled={busy}>
                  Discard changes
                </button>
                {isAdmin(member) ? (
                  <button type="button" class="danger" onClick={remove}>
                    Delete bot
                  </button>
                ) : null}
              </div>
            ) : (
              <p class="hint">Your role can read these settings but not change them.</p>
            )}
          </form>
          <aside class="side" aria-label="Preview and embed code">
            <WidgetPreview botId={botId} options={previewOptions(form)} />
            <EmbedCode botId={botId} />
          </aside>
        </div>
      ) : null}
    </>
  );
}

/** Moves focus to the first field with a message, after it is drawn. */
export function focusFirstInvalid(): void {
  requestAnimationFrame(() => document.querySelector<HTMLElement>("[aria-invalid=true]")?.focus());
}
