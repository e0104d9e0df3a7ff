import { useState } from "preact/hooks";
import { consoleApi, messageOf } from "../api/console-api";
import type { Member } from "../api/console-types";
import { Notice, TextInput } from "../components/form-field";

/** /admin/sign-in: name and password. */
export function SignInPage({ onSignedIn }: { onSignedIn: (member: Member) => void }) {
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = await consoleApi<{ member: Member }>("POST", "/v1/console/sign-in", { name: name.trim(), password }, { quiet401: true });
      onSignedIn(body.member);
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  };

  return (
    <main id="main" class="narrow">
      <h1 tabIndex={-1}>Sign in to edgechat</h1>
      <form onSubmit={submit} class="card">
        {error ? <Notice tone="error">{error}</Notice> : null}
        <TextInput id="name" label="Name" value={name} onInput={setName} autoComplete="username" required autoFocus />
        <TextInput id="password" label="Password" type="password" value={password} onInput={setPassword} autoComplete="current-password" required />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <p class="hint">
        No account yet? Ask an admin for an invitation, or run <code>npx edgechat members invite you --role admin</code> with the deployment's ADMIN_TOKEN.
      </p>
    </main>
  );
}
