import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Member } from "./api/console-types";

/** The signed-in member, and a way to change who that is (sign-in, invitation, sign-out). */
export interface ConsoleSession {
  member: Member;
  setMember: (member: Member | null) => void;
}

export const SessionContext = createContext<ConsoleSession | null>(null);

/** The signed-in member (pages under the signed-in layout only). */
export function useSession(): ConsoleSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside a signed-in page");
  return session;
}

/** Whether the member may manage members, API keys and create bots. */
export const isAdmin = (member: Member) => member.role === "admin";
/** Whether the member may change bots and documents. */
export const canEdit = (member: Member) => member.role === "admin" || member.role === "editor";
