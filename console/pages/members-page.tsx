import { useEffect, useState } from "preact/hooks";
import { ApiError, consoleApi, messageOf } from "../api/console-api";
import type { BotScope, Member, Role } from "../api/console-types";
import { AccessFields, accessErrors, useBotChoices } from "../components/access-fields";
import { CopyField } from "../components/copy-field";
import { Notice, TextInput } from "../components/form-field";
import { formatDate, formatScope } from "../format";
import { useSession } from "../session-context";

/** /admin/members (admins): invite, change role and scope, remove. */
export function MembersPage() {
  const { member: me } = useSession();
  const choices = useBotChoices();
  const [members, setMembers] = useState<Member[]>();
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState<string>();
  const [invite, setInvite] = useState<{ name: string; role: Role; bots: BotScope }>({ name: "", role: "editor", bots: "all" });
  const [inviteErrors, setInviteErrors] = useState<Record<string, string>>({});
  const [link, setLink] = useState<{ url: string; expiresAt: string | number }>();
  const [editing, setEditing] = useState<{ id: string; role: Role; bots: BotScope }>();

  const load = () => consoleApi<{ members: Member[] }>("GET", "/v1/console/members").then((body) => setMembers(body.members), (failure) => setError(messageOf(failure)));
  useEffect(() => void load(), []);

  const sendInvite = async (event: Event) => {
    event.preventDefault();
    const found = { ...accessErrors(invite.bots), ...(invite.name.trim() ? {} : { name: "Required." }) };
    setInviteErrors(found);
    setLink(undefined);
    if (Object.keys(found).length) return;
    try {
      const body = await consoleApi<{ invitation: { url: string; expiresAt: string } }>("POST", "/v1/console/members/invitations", { ...invite, name: invite.name.trim() });
      setLink(body.invitation);
      setInvite({ name: "", role: invite.role, bots: invite.bots });
      await load();
    } catch (failure) {
      if (failure instanceof ApiError) setInviteErrors(failure.fields);
      setError(messageOf(failure));
    }
  };

  const saveEdit = async (event: Event) => {
    event.preventDefault();
    if (!editing) return;
    if (Object.keys(accessErrors(editing.bots)).length) return setError(accessErrors(editing.bots).bots);
    try {
      await consoleApi("PATCH", `/v1/console/members/${encodeURIComponent(editing.id)}`, { role: editing.role, bots: editing.bots });
      setEditing(undefined);
      setStatus("Member updated.");
      await load();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };

  const remove = async (member: Member) => {
    if (!confirm(`Remove ${member.name}? They are signed out at once.`)) return;
    try {
      await consoleApi("DELETE", `/v1/console/members/${encodeURIComponent(member.id)}`);
      setStatus(`${member.name} removed.`);
      await load();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };

  return (
    <>
      <h1 tabIndex={-1}>Members</h1>
      {error ? <Notice tone="error">{error}</Notice> : null}
      <p class="sr-only" role="status">
        {status}
      </p>
      <section class="card" aria-labelledby="invite-heading">
        <h2 id="invite-heading">Invite someone</h2>
        <form onSubmit={sendInvite} noValidate>
          <TextInput id="invite-name" label="Name they sign in with" value={invite.name} onInput={(name) => setInvite({ ...invite, name })} errors={inviteErrors.name ? [inviteErrors.name] : undefined} required />
          <AccessFields idPrefix="invite" role={invite.role} bots={invite.bots} choices={choices} onChange={(role, bots) => setInvite({ ...invite, role, bots })} errors={inviteErrors} />
          <button type="submit" class="primary">
            Create invitation link
          </button>
        </form>
        {link ? <CopyField id="invite-link" label="Invitation link" value={link.url} hint={`Send it to them; it works once, until ${formatDate(link.expiresAt)}.`} /> : null}
      </section>
      {members ? (
        <div class="table-wrap">
          <table class="data members-table">
            <caption class="sr-only">Members</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Bots</th>
                <th scope="col">Status</th>
                <th scope="col">Since</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.map((member) =>
                editing?.id === member.id ? (
                  <tr key={member.id}>
                    <td colSpan={6}>
                      <form onSubmit={saveEdit} class="inline-edit" aria-label={`Access of ${member.name}`}>
                        <p>
                          <strong>{member.displayName || member.name}</strong>
                        </p>
                        <AccessFields idPrefix={`edit-${member.id}`} role={editing.role} bots={editing.bots} choices={choices} onChange={(role, bots) => setEditing({ ...editing, role, bots })} />
                        <div class="actions">
                          <button type="submit" class="primary">
                            Save
                          </button>
                          <button type="button" onClick={() => setEditing(undefined)}>
                            Cancel
                          </button>
                        </div>
                      </form>
                    </td>
                  </tr>
                ) : (
                  <tr key={member.id}>
                    <th scope="row" class="member-name">
                      {member.displayName || member.name}
                      {member.displayName && member.displayName !== member.name ? <span class="hint"> ({member.name})</span> : null}
                    </th>
                    <td>{member.role}</td>
                    <td>{formatScope(member.bots)}</td>
                    <td>{member.status ?? "active"}</td>
                    <td>{formatDate(member.createdAt)}</td>
                    <td class="row-actions">
                      {member.id !== me.id ? (
                        <>
                          <button type="button" onClick={() => setEditing({ id: member.id, role: member.role, bots: member.bots })} aria-label={`Change access of ${member.name}`}>
                            Change
                          </button>
                          <button type="button" class="danger" onClick={() => void remove(member)} aria-label={`Remove ${member.name}`}>
                            Remove
                          </button>
                        </>
                      ) : (
                        <span class="hint">You</span>
                      )}
                    </td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </div>
      ) : !error ? (
        <p role="status">Loading members…</p>
      ) : null}
    </>
  );
}
