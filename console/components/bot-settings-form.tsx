import type { BotForm, FieldErrors } from "../bot-form";
import { messagesFor } from "../bot-form";
import { CopyField } from "./copy-field";
import { CheckboxInput, SelectInput, TextInput } from "./form-field";

interface BotSettingsFormProps {
  form: BotForm;
  onChange: (form: BotForm) => void;
  errors: FieldErrors;
  /** A new bot: its id is chosen here. */
  creating?: boolean;
  readOnly?: boolean;
  /** The secret that signs this bot's handoff webhooks (shown to those who may edit the bot). */
  handoffSecret?: string;
}

const THEMES = [
  { value: "auto", label: "Follow the visitor's system" },
  { value: "light", label: "Light" },
  { value: "dark", label: "Dark" },
] as const;
const POLICIES = [
  { value: "auto", label: "Automatic: small model, large when needed" },
  { value: "always-small", label: "Always the small model" },
  { value: "always-large", label: "Always the large model" },
] as const;

/** Every setting of a bot (worker/bots/bot-config.ts), grouped, each with its messages beside it. */
export function BotSettingsForm({ form, onChange, errors, creating, readOnly, handoffSecret }: BotSettingsFormProps) {
  const set = <K extends keyof BotForm>(key: K) => (value: BotForm[K]) => onChange({ ...form, [key]: value });
  const at = (path: string) => messagesFor(errors, path);
  const colorValid = /^#[0-9a-fA-F]{6}$/.test(form.primaryColor);
  return (
    <fieldset class="settings" disabled={readOnly}>
      <legend class="sr-only">Bot settings</legend>
      <section aria-labelledby="group-basics">
        <h2 id="group-basics">Basics</h2>
        {creating ? <TextInput id="id" label="Id" hint="Used in the embed code and URLs; lowercase letters, digits and '-'. Cannot be changed later." value={form.id} onInput={set("id")} errors={at("id")} required /> : null}
        <TextInput id="name" label="Name" hint="Shown as the chat's title." value={form.name} onInput={set("name")} errors={at("name")} required />
        <TextInput id="greeting" label="Greeting" hint="The first message visitors see." value={form.greeting} onInput={set("greeting")} errors={at("greeting")} multiline rows={2} />
        <TextInput id="starterQuestions" label="Starter questions" hint="One per line, up to 6." value={form.starterQuestions} onInput={set("starterQuestions")} errors={at("starterQuestions")} multiline rows={3} />
        <TextInput id="systemPrompt" label="Instructions (system prompt)" hint="How the bot should answer. Visitors never see this." value={form.systemPrompt} onInput={set("systemPrompt")} errors={at("systemPrompt")} multiline rows={4} />
        <TextInput id="aiNotice" label="AI notice" hint="Shown under the chat; empty uses the default notice." value={form.aiNotice} onInput={set("aiNotice")} errors={at("aiNotice")} />
      </section>
      <section aria-labelledby="group-look">
        <h2 id="group-look">Look</h2>
        <div class="color-row">
          <TextInput id="primaryColor" label="Main colour" hint="#rrggbb; empty uses the default blue." value={form.primaryColor} onInput={set("primaryColor")} errors={at("theme.primaryColor")} placeholder="#2456d6" />
          <div class="field color-picker">
            <label for="primaryColorPicker">Pick</label>
            <input id="primaryColorPicker" type="color" value={colorValid ? form.primaryColor : "#2456d6"} onInput={(e) => set("primaryColor")(e.currentTarget.value)} />
          </div>
        </div>
        <SelectInput id="themeMode" label="Theme" value={form.themeMode} options={THEMES} onChange={set("themeMode")} errors={at("theme.mode")} />
        <CheckboxInput id="showTierBadge" label="Show which model tier answered" checked={form.showTierBadge} onChange={set("showTierBadge")} />
      </section>
      <section aria-labelledby="group-where">
        <h2 id="group-where">Where it runs</h2>
        <TextInput id="allowedOrigins" label="Allowed origins" hint="Sites that may embed the bot, one per line, e.g. https://docs.example.com. The hosted page always may." value={form.allowedOrigins} onInput={set("allowedOrigins")} errors={at("allowedOrigins")} multiline rows={3} />
        <TextInput id="turnstileSiteKey" label="Turnstile site key" hint="Cloudflare Turnstile checks visitors before their first question; empty turns it off." value={form.turnstileSiteKey} onInput={set("turnstileSiteKey")} errors={at("turnstileSiteKey")} />
      </section>
      <section aria-labelledby="group-models">
        <h2 id="group-models">Models and routing</h2>
        <SelectInput id="routingPolicy" label="Routing policy" value={form.routingPolicy} options={POLICIES} onChange={set("routingPolicy")} errors={at("routing")} />
        <TextInput id="smallModel" label="Small model" hint="Empty uses the deployment's default." value={form.smallModel} onInput={set("smallModel")} errors={at("models.small")} />
        <TextInput id="largeModel" label="Large model" hint="Empty uses the deployment's default." value={form.largeModel} onInput={set("largeModel")} errors={at("models.large")} />
        <CheckboxInput id="imagesEnabled" label="Can generate images" checked={form.imagesEnabled} onChange={set("imagesEnabled")} />
        <div class="two">
          <TextInput id="imagesPerSession" label="Images per conversation" type="number" inputMode="numeric" value={form.imagesPerSession} onInput={set("imagesPerSession")} errors={at("images.perSession")} />
          <TextInput id="imagesPerDay" label="Images per day" type="number" inputMode="numeric" value={form.imagesPerDay} onInput={set("imagesPerDay")} errors={at("images.perDay")} />
        </div>
      </section>
      <section aria-labelledby="group-limits">
        <h2 id="group-limits">Limits</h2>
        <TextInput id="dailyBudgetUsd" label="Daily spending cap (USD)" hint="0 turns the bot off. Counted per UTC day." type="number" inputMode="decimal" value={form.dailyBudgetUsd} onInput={set("dailyBudgetUsd")} errors={at("limits.dailyBudgetUsd")} />
        <TextInput id="budgetMessage" label="Message over the cap" hint="Empty uses the default apology." value={form.budgetMessage} onInput={set("budgetMessage")} errors={at("limits.budgetMessage")} multiline rows={2} />
        <TextInput id="maxTurnsPerSession" label="Questions per conversation" hint="Empty uses the default (100)." type="number" inputMode="numeric" value={form.maxTurnsPerSession} onInput={set("maxTurnsPerSession")} errors={at("limits.maxTurnsPerSession")} />
      </section>
      <section aria-labelledby="group-handoff">
        <h2 id="group-handoff">Human handoff</h2>
        <TextInput id="handoffWebhookUrl" label="Handoff webhook URL" hint="When a visitor asks for a person, the conversation is POSTed here (signed). Empty turns handoff off." type="url" value={form.handoffWebhookUrl} onInput={set("handoffWebhookUrl")} errors={at("handoffWebhookUrl")} />
        <TextInput id="takeoverTimeoutSeconds" label="Wait for a team member (seconds)" hint="How long a visitor's request for a person waits for someone to take over in the console before the webhook runs. 0 runs it at once." type="number" inputMode="numeric" value={form.takeoverTimeoutSeconds} onInput={set("takeoverTimeoutSeconds")} errors={at("handoff.takeoverTimeoutSeconds")} />
        {handoffSecret ? <CopyField id="handoffSecret" label="Webhook signing secret" hint="Your webhook checks each request's signature with it." value={handoffSecret} /> : null}
      </section>
      <section aria-labelledby="group-retention">
        <h2 id="group-retention">Conversation data</h2>
        <TextInput id="retentionDays" label="Keep conversations (days)" hint="Older ones are deleted automatically (checked every 15 minutes). 0 keeps them only while the visitor's session lasts (24 h)." type="number" inputMode="numeric" value={form.retentionDays} onInput={set("retentionDays")} errors={at("retentionDays")} />
      </section>
    </fieldset>
  );
}
