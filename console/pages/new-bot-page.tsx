import { useState } from "preact/hooks";
import { ApiError, messageOf } from "../api/console-api";
import { createBot } from "../api/bots-api";
import { botFromForm, emptyBotForm, type BotForm, type FieldErrors } from "../bot-form";
import { BotSettingsForm } from "../components/bot-settings-form";
import { Notice } from "../components/form-field";
import { botPath, navigate } from "../router";
import { focusFirstInvalid } from "./bot-settings-page";

/** /admin/bots/new: a bot's id and settings. */
export function NewBotPage() {
  const [form, setForm] = useState<BotForm>(emptyBotForm);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const onChange = (next: BotForm) => {
    // Suggest an id from the name until one is typed.
    const suggested = slug(form.name);
    setForm(next.id === form.id && (form.id === "" || form.id === suggested) && next.name !== form.name ? { ...next, id: slug(next.name) } : next);
    if (Object.keys(errors).length) setErrors(botFromForm(next, undefined, { checkId: true }).errors);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    const { settings, errors: found } = botFromForm(form, undefined, { checkId: true });
    setErrors(found);
    setError(undefined);
    if (Object.keys(found).length) {
      setError("Some settings need a fix: see the messages next to them.");
      focusFirstInvalid();
      return;
    }
    setBusy(true);
    try {
      await createBot(form.id, settings);
      navigate(botPath(form.id));
    } catch (failure) {
      setBusy(false);
      if (failure instanceof ApiError && Object.keys(failure.fields).length) {
        setErrors(failure.fields);
        focusFirstInvalid();
      }
      setError(failure instanceof ApiError && failure.status === 409 ? "A bot with this id exists already: choose another id." : messageOf(failure));
    }
  };

  return (
    <>
      <h1 tabIndex={-1}>New bot</h1>
      {error ? <Notice tone="error">{error}</Notice> : null}
      <form class="settings-form single" onSubmit={submit} noValidate>
        <BotSettingsForm form={form} onChange={onChange} errors={errors} creating />
        <div class="actions sticky-actions">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? "Creating…" : "Create bot"}
          </button>
        </div>
      </form>
    </>
  );
}

function slug(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 32)
    .replace(/-+$/, "");
}
