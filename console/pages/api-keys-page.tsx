import { useEffect, useState } from "preact/hooks";
import { ApiError, consoleApi, messageOf } from "../api/console-api";
import type { ApiKey, BotScope, Role } from "../api/console-types";
import { AccessFields, accessErrors, useBotChoices } from "../components/access-fields";
import { CopyField } from "../components/copy-field";
import { Notice, TextInput } from "../components/form-field";
import { formatDate, formatScope } from "../format";

/** /admin/api-keys (admins): keys for CI and scripts, shown once at creation; revoke. */
export function ApiKeysPage() {
  const choices = useBotChoices();
  const [keys, setKeys] = useState<ApiKey[]>();
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState<string>();
  const [draft, setDraft] = useState<{ name: string; role: Role; bots: BotScope }>({ name: "", role: "editor", bots: "all" });
  const [draftErrors, setDraftErrors] = useState<Record<string, string>>({});
  const [secret, setSecret] = useState<string>();

  const load = () => consoleApi<{ keys: ApiKey[] }>("GET", "/v1/console/api-keys").then((body) => setKeys(body.keys), (failure) => setError(messageOf(failure)));
  useEffect(() => void load(), []);

  const create = async (event: Event) => {
    event.preventDefault();
    const found = { ...accessErrors(draft.bots), ...(draft.name.trim() ? {} : { name: "Required." }) };
    setDraftErrors(found);
    setSecret(undefined);
    if (Object.keys(found).length) return;
    try {
      const body = await consoleApi<{ key: ApiKey & { secret: string } }>("POST", "/v1/console/api-keys", { ...draft, name: draft.name.trim() });
      setSecret(body.key.secret);
      setDraft({ name: "", role: draft.role, bots: draft.bots });
      await load();
    } catch (failure) {
      if (failure instanceof ApiError) setDraftErrors(failure.fields);
      setError(messageOf(failure));
    }
  };

  const revoke = async (key: ApiKey) => {
    if (!confirm(`Revoke the key "${key.name}"? Scripts using it stop working at once.`)) return;
    try {
      await consoleApi("DELETE", `/v1/console/api-keys/${encodeURIComponent(key.id)}`);
      setStatus(`${key.name} revoked.`);
      await load();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };

  return (
    <>
      <h1 tabIndex={-1}>API keys</h1>
      <p class="hint">Keys let CI and scripts use the admin API and the CLI (in place of ADMIN_TOKEN), limited to their role and bots.</p>
      {error ? <Notice tone="error">{error}</Notice> : null}
      <p class="sr-only" role="status">
        {status}
      </p>
      <section class="card" aria-labelledby="new-key-heading">
        <h2 id="new-key-heading">Create a key</h2>
        <form onSubmit={create} noValidate>
          <TextInput id="key-name" label="Name" hint="What uses it, e.g. docs-ci." value={draft.name} onInput={(name) => setDraft({ ...draft, name })} errors={draftErrors.name ? [draftErrors.name] : undefined} required />
          <AccessFields idPrefix="key" role={draft.role} bots={draft.bots} choices={choices} onChange={(role, bots) => setDraft({ ...draft, role, bots })} errors={draftErrors} />
          <button type="submit" class="primary">
            Create key
          </button>
        </form>
        {secret ? <CopyField id="new-key" label="Your new key" value={secret} hint="Copy it now: it is shown only once. The server keeps only its hash." /> : null}
      </section>
      {keys ? (
        keys.length ? (
          <div class="table-wrap">
            <table class="data keys-table">
              <caption class="sr-only">API keys</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Key</th>
                  <th scope="col">Role</th>
                  <th scope="col">Bots</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">
                    <span class="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {keys.map((key) => (
                  <tr key={key.id} class={key.revokedAt ? "revoked" : undefined}>
                    <th scope="row" class="key-name">
                      {key.name}
                    </th>
                    <td>
                      <code>{key.prefix ? `${key.prefix}…` : "—"}</code>
                    </td>
                    <td>{key.role}</td>
                    <td>{formatScope(key.bots)}</td>
                    <td>{formatDate(key.createdAt)}</td>
                    <td>{formatDate(key.lastUsedAt)}</td>
                    <td class="row-actions">
                      {key.revokedAt ? (
                        <span>Revoked {formatDate(key.revokedAt)}</span>
                      ) : (
                        <button type="button" class="danger" onClick={() => void revoke(key)} aria-label={`Revoke ${key.name}`}>
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>No keys yet.</p>
        )
      ) : !error ? (
        <p role="status">Loading keys…</p>
      ) : null}
    </>
  );
}
