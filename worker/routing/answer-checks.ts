/**
 * The answer-side half of the second chance: cheap checks of the small model's finished answer that catch
 * what the router missed. When one fires, the large model continues the same message
 * (worker/routing/routed-generation.ts) and the check's code is recorded as `answer-check: <code>`.
 *
 * - `hedged-with-sources`: the answer hedges or says it cannot answer although the turn retrieved sources;
 * - `no-citation`: a grounded turn's answer of some length cites no source ([n]) at all.
 */
export interface AnswerCheckInput {
  /** The answer text the small model produced. */
  text: string;
  /** Whether the prompt held retrieved sources (the turn is grounded and answers must cite them). */
  grounded: boolean;
}

const HEDGE =
  /\b(?:i (?:don'?t|do not) (?:know|have (?:enough |that |the |any |specific )?(?:information|details|data))|i(?:'m| am) (?:not (?:sure|certain|able to)|unable to)|i can(?:'?t|not) (?:answer|help with|find|tell|say|determine|confirm|be sure)|(?:the )?(?:documentation|sources?|docs|provided (?:information|context)) (?:do(?:es)?n'?t|do(?:es)? not) (?:cover|mention|say|contain|include|specify|explain|address)|(?:not|isn'?t|is not) (?:covered|mentioned|specified|addressed) in the (?:documentation|sources|docs)|(?:it(?:'s| is) )?unclear (?:from|whether)|(?:no|don'?t have) information (?:about|on))/i;
const CITATION = /\[\d+\]/;
/** Answers shorter than this (a greeting, "You're welcome!") owe no citation. */
export const MIN_WORDS_FOR_CITATION = 25;

/**
 * The first check that fires for this answer, or undefined. "hedged" alone (no sources) is what the
 * next turn uses (follow-up-checks.ts); within the turn only grounded answers get a second chance.
 *
 * @example
 * answerCheck({ text: "I'm not sure, the documentation doesn't cover that.", grounded: true }) // "hedged-with-sources"
 */
export function answerCheck(input: AnswerCheckInput): "hedged-with-sources" | "no-citation" | "hedged" | undefined {
  const text = input.text.trim();
  if (text === "") return undefined;
  if (HEDGE.test(text)) return input.grounded ? "hedged-with-sources" : "hedged";
  if (input.grounded && !CITATION.test(text) && text.split(/\s+/).length >= MIN_WORDS_FOR_CITATION) return "no-citation";
  return undefined;
}
