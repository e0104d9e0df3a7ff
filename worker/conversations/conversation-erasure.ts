import type { EdgechatEnv } from "../env";
import { deleteImages, imageIdOfUrl } from "../images/image-store";
import { sessionStub } from "../sessions/session-store";

/** What an erasure removed: stored messages, `turns` rows whose question text was removed, ratings, images. */
export interface ErasedConversation {
  messages: number;
  turns: number;
  feedback: number;
  images: number;
}

/**
 * Erases one conversation everywhere it is stored: the session object's storage (transcript, live answer,
 * every other table), the generated images of the session in R2, and in D1 its inbox row, its searchable
 * questions and its ratings. Its `turns` rows stay for billing, with their question text removed (they hold
 * no other text). Undefined when the bot has no such conversation in its inbox index (no session object is
 * opened for an id D1 does not know). The session object is erased first and the index row last, so an
 * erasure cut short can simply be repeated.
 *
 * @example
 * const erased = await eraseConversation(env, "demo", sessionId); // { messages: 4, turns: 2, feedback: 1, images: 0 }
 */
export async function eraseConversation(env: EdgechatEnv, botId: string, sessionId: string): Promise<ErasedConversation | undefined> {
  const db = env.DB!;
  const known = await db.prepare("SELECT 1 AS known FROM sessions WHERE id = ? AND bot_id = ?").bind(sessionId, botId).first();
  if (!known) return undefined;
  const [stored, usage] = await Promise.all([
    sessionStub(env, botId, sessionId).erase(),
    db.prepare("SELECT image_id FROM image_usage WHERE bot_id = ? AND session_id = ?").bind(botId, sessionId).all<{ image_id: string }>(),
  ]);
  const imageIds = [...stored.fileUrls.map(imageIdOfUrl).filter((id): id is string => id !== undefined), ...usage.results.map((row) => row.image_id)];
  const [images, [turns, feedback]] = await Promise.all([
    env.IMAGES ? deleteImages(env.IMAGES, imageIds) : 0,
    db.batch([
      db.prepare("UPDATE turns SET question = NULL WHERE bot_id = ? AND session_id = ? AND question IS NOT NULL").bind(botId, sessionId),
      db.prepare("DELETE FROM feedback WHERE bot_id = ? AND session_id = ?").bind(botId, sessionId),
      db.prepare("DELETE FROM conversation_questions WHERE bot_id = ? AND session_id = ?").bind(botId, sessionId),
      db.prepare("DELETE FROM session_handoffs WHERE session_id = ? AND bot_id = ?").bind(sessionId, botId),
      db.prepare("DELETE FROM sessions WHERE id = ? AND bot_id = ?").bind(sessionId, botId),
    ]),
  ]);
  return { messages: stored.messages, turns: turns!.meta.changes, feedback: feedback!.meta.changes, images };
}
