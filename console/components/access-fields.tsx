import { useEffect, useState } from "preact/hooks";
import { listBots } from "../api/bots-api";
import type { BotScope, BotSummary, Role } from "../api/console-types";
import { SelectInput } from "./form-field";

export const ROLES = [
  { value: "admin", label: "Admin: everything, members and keys too" },
  { value: "editor", label: "Editor: bots and documents" },
  { value: "agent", label: "Agent: reads conversations" },
] as const;

/** The bots of the deployment, for scope pickers (loaded once per page). */
export function useBotChoices(): BotSummary[] {
  const [bots, setBots] = useState<BotSummary[]>([]);
  useEffect(() => void listBots().then(setBots, () => setBots([])), []);
  return bots;
}

/** A role and a bot scope ("all" or chosen bots), as members and API keys have. */
export function AccessFields({ idPrefix, role, bots, choices, onChange, errors = {} }: { idPrefix: string; role: Role; bots: BotScope; choices: BotSummary[]; onChange: (role: Role, bots: BotScope) => void; errors?: Record<string, string> }) {
  const toggle = (id: string, on: boolean) => {
    const current = bots === "all" ? [] : bots;
    onChange(role, on ? [...current, id] : current.filter((bot) => bot !== id));
  };
  return (
    <>
      <SelectInput id={`${idPrefix}-role`} label="Role" value={role} options={ROLES} onChange={(value) => onChange(value, bots)} errors={errors.role ? [errors.role] : undefined} />
      <fieldset class="scope" aria-describedby={errors.bots ? `${idPrefix}-bots-error` : undefined}>
        <legend>Bots</legend>
        <div class="field checkbox">
          <input id={`${idPrefix}-all`} type="checkbox" checked={bots === "all"} onChange={(e) => onChange(role, e.currentTarget.checked ? "all" : [])} />
          <label for={`${idPrefix}-all`}>All bots, present and future</label>
        </div>
        {bots !== "all"
          ? choices.map((bot) => (
              <div class="field checkbox" key={bot.id}>
                <input id={`${idPrefix}-bot-${bot.id}`} type="checkbox" checked={bots.includes(bot.id)} onChange={(e) => toggle(bot.id, e.currentTarget.checked)} />
                <label for={`${idPrefix}-bot-${bot.id}`}>{bot.name}</label>
              </div>
            ))
          : null}
        {errors.bots ? (
          <p class="field-errors" id={`${idPrefix}-bots-error`}>
            {errors.bots}
          </p>
        ) : null}
      </fieldset>
    </>
  );
}

/** Client check of an access choice: a scope that lists no bot gives access to nothing. */
export function accessErrors(bots: BotScope): Record<string, string> {
  return bots !== "all" && bots.length === 0 ? { bots: "Choose at least one bot, or all bots." } : {};
}
