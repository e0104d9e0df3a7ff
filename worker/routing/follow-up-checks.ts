import { wordsOf } from "./router-features";
import { answerCheck } from "./answer-checks";

/** What the router knows about the turn before: the visitor's previous message and the answer they got. */
export interface PreviousTurn {
  question: string;
  /** The previous answer's text, when known. */
  answer?: string;
}

/** The visitor says the previous answer did not help, was wrong, or that the problem persists. */
const NOT_HELPED =
  /\b(?:(?:didn'?t|did not|doesn'?t|does not|won'?t|that didn'?t) (?:help|work|answer|solve|fix|change anything)|not (?:what i (?:asked|meant|need(?:ed)?)|helpful|useful|working|true|right)|that(?:'s| is) (?:wrong|incorrect|not (?:right|true|it|what))|(?:you|that) (?:didn'?t|did not|haven'?t|have not) answer\w*|still (?:not|doesn'?t|does not|broken|the same|happening|failing|getting|no\b|can'?t|isn'?t|won'?t)|same (?:problem|issue|error|thing) (?:again|still|as before)|useless|makes no sense|i already (?:did|tried|said|told)|as i said|i (?:just )?(?:asked|said) (?:you )?(?:about|that)|read my question)\b/i;

/** Words too common to say two questions are the same question. */
const FILLER = new Set(["a", "an", "the", "i", "my", "me", "you", "your", "to", "is", "it", "do", "doe", "can", "how", "what", "of", "in", "on", "for", "and", "or", "please", "again", "this", "that", "so", "be", "we", "our"]);

/** Share of content words two messages share (Jaccard) at which the new one re-asks the previous one. */
export const RE_ASK_OVERLAP = 0.6;

/**
 * The next-turn half of the second chance: a rule that sends this turn large because of how the visitor
 * reacted to the previous answer. Returns a reason code, or undefined.
 *
 * - `visitor-not-helped`: the new message says the answer did not help, was wrong, or the problem persists;
 * - `visitor-re-asked`: the new message asks the previous question again (mostly the same content words);
 * - `previous-answer-hedged`: the previous answer hedged or said it could not answer (answer-checks.ts).
 *
 * @example
 * followUpEscalation("that didn't help, still 502s", { question: "getting 502 errors" }) // "visitor-not-helped"
 */
export function followUpEscalation(question: string, previous: PreviousTurn | undefined): string | undefined {
  if (previous === undefined || previous.question.trim() === "") return undefined;
  if (NOT_HELPED.test(question)) return "visitor-not-helped";
  const now = contentWords(question);
  const before = contentWords(previous.question);
  if (now.size >= 2 && before.size >= 2) {
    let shared = 0;
    for (const word of now) if (before.has(word)) shared++;
    if (shared / (now.size + before.size - shared) >= RE_ASK_OVERLAP) return "visitor-re-asked";
  }
  if (previous.answer !== undefined && answerCheck({ text: previous.answer, grounded: false }) === "hedged") return "previous-answer-hedged";
  return undefined;
}

function contentWords(text: string): Set<string> {
  return new Set(wordsOf(text).filter((word) => !FILLER.has(word)));
}
