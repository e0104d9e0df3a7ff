/**
 * Cheap, explainable features of a visitor's question: what a support engineer would notice at a
 * glance before deciding whether a junior or a senior should answer. Pure string work, no model call.
 */
export interface QuestionShape {
  /** Number of words. */
  words: number;
  /** Distinct questions asked: question marks, plus enumerated items ("1.", "- ") and "also"/"and how" joins. */
  questions: number;
  /** Asks for reasons, advice, plans or explanations (why, should I, best way, explain, recommend…). */
  reasoning: boolean;
  /** Describes something going wrong (fails, not working, error, keeps, timeout…). */
  troubleshooting: boolean;
  /** Says what was already tried (tried, still, even after…): the easy answer is ruled out. */
  alreadyTried: boolean;
  /** Contains code, a command, a config snippet, a stack trace or log lines. */
  code: boolean;
  /** Compares options (vs, difference between, which is better, X or Y for…). */
  comparison: boolean;
  /** The visitor explicitly asks for depth ("detailed answer", "think carefully", "step by step"). */
  explicitRequest: boolean;
}

const REASONING =
  /\b(why|explain|explanation|reason(?:s|ing)?|should (?:i|we)|would (?:you|it)|recommend(?:ation)?s?|advise|advice|best (?:way|practice|approach|option|setup|plan)|how (?:can|could|should) (?:i|we) (?:design|architect|structure|plan|optimi[sz]e|migrate|scale|reduce|avoid|set up .* so)|trade-?offs?|pros and cons|implications?|what happens (?:if|when)|plan (?:for|to)|strategy|optimi[sz]e|architect(?:ure)?|estimate|calculate|worth it|make sense)\b/i;

const TROUBLESHOOTING =
  /\b(not working|doesn'?t work|does not work|stopped working|isn'?t working|won'?t|can'?t|cannot|unable to|fail(?:s|ed|ing|ure)?|broken|crash(?:es|ed|ing)?|keeps|keep (?:getting|failing|crashing|timing out|returning)|error(?:s)?|exception|timed? ?out|time-?outs?|hangs?|stuck|slow(?:er)?|down\b|outage|intermittent(?:ly)?|randomly|sometimes|500|502|503|504|404|403|401|refused|rejected|denied|bounc(?:e|es|ed|ing)|missing|disappeared|wrong|unexpected(?:ly)?|instead of)\b/i;

const ALREADY_TRIED = /\b(i(?:'ve| have)? (?:already )?tried|already|still|even after|even though|despite|again and again|no luck|didn'?t help|did not help|same (?:error|problem|issue|result))\b/i;

const COMPARISON =
  /\b(vs\.?|versus|compare[ds]?|comparison|difference(?:s)? between|differ(?:s)? from|better than|worse than|cheaper than|faster than|which (?:one|plan|option|tier|region|is better|should)|or should i|instead of using)\b/i;

const EXPLICIT =
  /\b(detailed|in (?:full )?detail|in depth|in-depth|thorough(?:ly)?|step[- ]by[- ]step|think (?:carefully|hard|it through)|carefully|comprehensive(?:ly)?|elaborate|deep ?dive|full explanation|explain (?:fully|everything)|walk me through|(?:use|with|ask) (?:the|your) (?:large|big|best|smartest|strongest|advanced) model|take your time)\b/i;

const CODE_BLOCK = /```|`[^`\n]{3,}`/;
const CODE_LINE =
  /(^|\n)\s*(?:\$ |> |#!|\w+:\s*\S.*\n\s*\w+:|[{}[\]];?\s*$|(?:const|let|var|function|import|export|def|class|curl|npm|npx|git|docker|kubectl|acme)\s+\S)|=>|\w+\(\)|;\s*$|\bat \S+ \(\S+:\d+:\d+\)|^\s*(?:at|File) /im;
const LOG_LINE = /\b(?:HTTP\/\d|Traceback|stack ?trace|ERR(?:OR)?[_:]|E[A-Z]{3,}\b|0x[0-9a-f]{4,}|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2})/;

const ENUMERATION = /(?:^|\n)\s*(?:\d+[.)]|[-*•])\s+\S/g;
const ALSO_JOIN = /(?:\?|\.)\s*(?:also|and|plus|additionally|separately|secondly|second(?:ly)?|another (?:thing|question))\b|\b(?:and also|as well as how|and (?:how|what|why|when|where|whether|can|do|does|is|should) (?:i|we|you|it|the|my|our|there)\b)/gi;

/**
 * Reads the shape of a question. Runs in microseconds: a handful of precompiled regular expressions.
 *
 * @example
 * analyzeQuestion("Why does my deploy fail? And how do I roll back?")
 * // { words: 10, questions: 2, reasoning: true, troubleshooting: true, … }
 */
export function analyzeQuestion(text: string): QuestionShape {
  const trimmed = text.trim();
  const words = trimmed === "" ? 0 : trimmed.split(/\s+/).length;
  const questionMarks = countQuestionMarks(trimmed);
  const enumerated = trimmed.match(ENUMERATION)?.length ?? 0;
  const joins = trimmed.match(ALSO_JOIN)?.length ?? 0;
  const questions = Math.max(questionMarks, enumerated >= 2 ? enumerated : 0, Math.min(questionMarks, 1) + joins, words > 0 ? 1 : 0);
  return {
    words,
    questions,
    reasoning: REASONING.test(trimmed),
    troubleshooting: TROUBLESHOOTING.test(trimmed),
    alreadyTried: ALREADY_TRIED.test(trimmed),
    code: CODE_BLOCK.test(trimmed) || CODE_LINE.test(trimmed) || LOG_LINE.test(trimmed),
    comparison: COMPARISON.test(trimmed),
    explicitRequest: EXPLICIT.test(trimmed),
  };
}

/** Question marks that end a question ("??" and "?!" count once; none inside code or URLs). */
function countQuestionMarks(text: string): number {
  return text.replace(/```[\s\S]*?```|`[^`]*`|https?:\/\/\S+/g, "").match(/\?+(?:!+)?/g)?.length ?? 0;
}
