import { useEffect, useState } from "preact/hooks";
import { ApiError, consoleApi, messageOf } from "../api/console-api";
import type { BotScope, Member, Role } from "../api/console-types";
import { Notice, TextInput } from "../components/form-field";
import { formatScope } from "../format";

export const MIN_PASSWORD_LENGTH = 12;

/**
 * /admin/invite#<token>: the invited person chooses a password. The token is in the fragment,
 * so it never reaches a server log or a Referer; the page posts it.
 */
export function InvitePage({ onSignedIn }: { onSignedIn: (member: Member) => void }) {
  const [token] = useState(() => decodeURIComponent(location.hash.slice(1)));
  const [invitation, setInvitation] = useState<{ name: string; role: Role; bots: BotScope; expiresAt: string | number } | null>();
  const [loadError, setLoadError] = useState<string>();
  const [displayName, setDisplayName] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!/^[\w-]{8,200}$/.test(token)) {
      setLoadError("This invitation link is incomplete. Open the whole link you were sent.");
      return;
    }
    consoleApi<{ name: string; role: Role; bots: BotScope; expiresAt: string }>("GET", `/v1/console/invitations/${encodeURIComponent(token)}`, undefined, { quiet401: true })
      .then(setInvitation)
      .catch((failure) => setLoadError(failure instanceof ApiError && failure.status === 404 ? "This invitation has expired or was already used. Ask for a new one." : messageOf(failure)));
  }, [token]);

  const check = (first: string, second: string) => {
    const found: Record<string, string[]> = {};
    if (first.length < MIN_PASSWORD_LENGTH) found.password = [`At least ${MIN_PASSWORD_LENGTH} characters (now ${first.length}).`];
    if (second !== first) found.confirm = ["The two passwords differ."];
    return found;
  };
  // Once a message shows, it follows what is typed.
  const onPassword = (value: string) => (setPassword(value), Object.keys(errors).length && setErrors(check(value, confirm)));
  const onConfirm = (value: string) => (setConfirm(value), Object.keys(errors).length && setErrors(check(password, value)));

  const submit = async (event: Event) => {
    event.preventDefault();
    const found = check(password, confirm);
    setErrors(found);
    setFormError(undefined);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      const body = await consoleApi<{ member: Member }>("POST", "/v1/console/invitations/accept", { token, password, ...(displayName.trim() ? { displayName: displayName.trim() } : {}) }, { quiet401: true });
      history.replaceState(null, "", "/admin/invite");
      onSignedIn(body.member);
    } catch (failure) {
      setBusy(false);
      if (failure instanceof ApiError && Object.keys(failure.fields).length) setErrors(Object.fromEntries(Object.entries(failure.fields).map(([k, v]) => [k, [v]])));
      else setFormError(messageOf(failure));
    }
  };

  return (
    <main id="main" class="narrow">
      <h1 tabIndex={-1}>Accept your invitation</h1>
      {loadError ? <Notice tone="error">{loadError}</Notice> : null}
      {invitation === undefined && !loadError ? <p role="status">Checking the invitation…</p> : null}
      {invitation ? (
        <form onSubmit={submit} class="card">
          <p>
            You are invited as <strong class="invite-name">{invitation.name}</strong>, {invitation.role}, for {formatScope(invitation.bots).toLowerCase()}. Choose a password to finish.
          </p>
          {formError ? <Notice tone="error">{formError}</Notice> : null}
          <input type="text" name="username" autoComplete="username" value={invitation.name} readOnly hidden />
          <TextInput id="displayName" label="Your name (optional)" value={displayName} onInput={setDisplayName} autoComplete="name" />
          <TextInput id="password" label="Password" type="password" hint={`At least ${MIN_PASSWORD_LENGTH} characters.`} value={password} onInput={onPassword} errors={errors.password} autoComplete="new-password" required />
          <TextInput id="confirm" label="Password again" type="password" value={confirm} onInput={onConfirm} errors={errors.confirm} autoComplete="new-password" required />
          <button type="submit" class="primary" disabled={busy}>
            {busy ? "Saving…" : "Set password and sign in"}
          </button>
        </form>
      ) : null}
    </main>
  );
}
