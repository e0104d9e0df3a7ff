/**
 * Cheap, explainable features of a visitor's question: what a support engineer would notice at a
 * glance before deciding whether a junior or a senior should answer. Pure string work, no model call.
 */
export interface QuestionShape {
  /** Number of words. */
  words: number;
  /** Distinct questions asked: question marks, enumerated items ("1.", "- "), and joined questions (", and how …"). */
  questions: number;
  /** Asks for advice or a decision (should I, recommend, best way, worth it, trade-offs…). */
  advice: boolean;
  /** Asks for a reason or an explanation (why, explain, how come, what happens if…). */
  explanation: boolean;
  /** Planning or design concerns named (migrate, zero downtime, architecture, prepare for, scale, structure…): distinct cues. */
  planning: number;
  /** Describes something going wrong (fails, not working, times out, since yesterday, only for…). */
  troubleshooting: boolean;
  /** Reports a malfunction happening now ("site not loading", "my app keeps restarting", "getting 502 errors"),
   *  as opposed to asking what an error means or what happens if something fails. */
  symptomReport: boolean;
  /** Says what was already tried (tried, still, even after, no luck…): the easy answer is ruled out. */
  alreadyTried: boolean;
  /** Contains code, a command, a config snippet, a stack trace, log lines or CONSTANT_NAMES. */
  code: boolean;
  /** Asks for something to be written: a script, workflow, Dockerfile, config, query, code. */
  artifactRequest: boolean;
  /** Compares options (vs, difference between, is it better to, X or Y for…). */
  comparison: boolean;
  /** Tells a situation: several sentences in the first person before or around the question. */
  situation: boolean;
  /** Puts conditions on the answer (without …, securely, automatically, so that …, under 5 minutes). */
  constraints: boolean;
  /** Carries two or more specific figures (amounts, sizes, durations, counts) to reason about. */
  figures: number;
  /** The visitor explicitly asks for depth ("detailed answer", "think carefully", "step by step"). */
  explicitRequest: boolean;
  /** Phrased as a lookup ("what does …", "where …", "do you …", "can I …", "is there …"). */
  lookup: boolean;
  /** Asks how to do something ("how do I …", "how to …", "how can we …"). */
  howTo: boolean;
}

const ADVICE =
  /\b(should (?:i|we)|how should|what should (?:i|we|our|my)|would you|do you (?:recommend|suggest)|recommend(?:ation|ed)?s?|suggest(?:ion)?s?|advi[sc]e|(?:best|cleanest|easiest|simplest|safest|fastest|cheapest|recommended|proper|right|correct|ideal) (?:way|practice|approach|option|setup|plan|choice)|trade-?offs?|pros and cons|worth it|makes? (?:more )?sense|is it (?:a good idea|wise|safe) to)\b/i;
const EXPLANATION = /\b(why|explain|explanation|how come|what happens (?:if|when)|what could (?:cause|be causing)|what(?:'s| is) going on|root cause|reason (?:for|why)|what happened|sort out)\b/i;
const PLANNING =
  /\b(migrat\w*|blue[- ]green|canary|rollouts?|multi[- ]region|failover|replicas?|move (?:\d+|all|our|my) .*(?:from|to)|zero[- ]downtime|downtime|architect(?:ure)?|design|strategy|prepare (?:for|our|my)|capacity|high availability|disaster recovery|structure|plan (?:for|to|our|my)|roadmap|scal(?:e|ing) (?:up|out))\b/i;
const PLANNING_ALL = new RegExp(PLANNING.source, "gi");

const TROUBLESHOOTING = new RegExp(
  [
    "not working", "doesn'?t work", "does not work", "stopped working", "isn'?t working", "won'?t", "can'?t (?!i\\b|find|see|locate|figure)", "unable to",
    "fail(?:s|ed|ing|ure)?", "broken", "crash(?:es|ed|ing)?", "keeps? \\w+ing", "keeps", "errors?", "exception", "timed? ?out",
    "times? out", "timing out", "time-?outs?", "hangs?", "stuck", "slow(?:er|ly)?", "takes? \\d", "is down", "went down",
    "outage", "intermittent(?:ly)?", "randomly", "sometimes", "5\\d\\ds?", "40[134]s?", "refused", "rejected", "denied",
    "bounc(?:e|es|ed|ing)", "disappeared", "unauthori[sz]ed", "forbidden", "mangled", "corrupt\\w*", "garbled", "truncated", "flapping", "flaky", "wrong", "unexpected(?:ly)?", "instead of", "suddenly", "since (?:yesterday|last|we|i|the|our|my|this)",
    "after (?:i|we) (?:added|changed|upgraded|moved|deployed|switched|enabled|updated|renamed)", "only (?:for|on|in|when|from) ", "killed", "oom",
    "hitting (?:the|a|our|my)", "worked (?:fine|before|yesterday|until)", "until (?:we|i) ", "used to work", "no longer", "duplicated?", "charged twice", "double[- ]charged", "over-?charged",
    "but (?:i|we) thought", "(?:is|was|were|are) supposed to", "but (?:now|it|the|my|our|production|staging)",
  ].join("|"),
  "i",
);
const TROUBLESHOOTING_WORDS = new RegExp(`\\b(?:${TROUBLESHOOTING.source})\\b`, "i");
const SYMPTOM =
  /\b(?:(?:not|n't|no longer) (?:work|load|send|start|deploy|build|connect|respond|renew|resolv|updat|show|run|serv|receiv|boot|sync|issu)\w*|keeps? (?:restart|crash|fail|timing|time|disconnect|drop|return|going|log|show|reset|hang)\w*|(?:is|are|was|went|goes|got|keeps? going) (?:down|slow|broken|offline|unreachable|stuck|blank|empty)|stuck (?:at|on|in)|hangs?\b|hanging|never (?:arriv|show|load|work|come|finish|complet|reach|receiv|start|end)\w*|runs? out of|out of memory|crash(?:es|ed|ing)|(?:deploy|build|push|migration|backup|job|request|connection|payment|upload|restore|install)\w* (?:fail|error|timeout|time out|timed out)\w*|fail(?:s|ed|ing) (?:to|with|on|after|every|again)|(?:getting|seeing|receiving|hitting|throwing|throws|returns?|returning) (?:an? |the |lots of |many |random |constant )?(?:\d{3}|error|exception|timeout|blank|empty|[a-z]+ error))/i;
/** Something is wrong with the visitor's own system: said together with "my"/"our"/"we"/"I", a report. */
const MALFUNCTION_CUE =
  /\b(?:instead of|wrong|unexpected(?:ly)?|only (?:in|on|for|when|from)|[45]\d\ds?|errors?|unauthori[sz]ed|forbidden|invalid|mangled|corrupt\w*|garbled|truncated|flapping|flaky|exceptions?|time-?outs?|timed out|refused|denied|bounc\w*|missing|disappeared|duplicated?|broken|fail(?:s|ed|ing)?|crash\w*)\b/i;
const QUESTION_START =
  /^(?:how|what|what's|whats|where|when|why|which|who|is|are|can|could|do|does|did|will|would|should|may|tell me|i (?:want|would like|need) to know|please)\b/i;
const LOOKUP_FORM = /^(?:what (?:does|do|is|are|happens|'s)|what's|where|is there|are there|can i|do you|does (?:acme|the|your)|which|how (?:do|can) i (?:find|see|get|view))\b/i;
const HOW_TO = /^(?:how (?:do|can|would|should|could) (?:i|we|you)|how to|how does one)\b/i;

const ALREADY_TRIED =
  /\b(i(?:'ve| have)? (?:already )?tried|we(?:'ve| have)? (?:already )?tried|tried (?:to|raising|adding|changing|restarting|redeploying|everything)|already|still|even after|even though|despite|no luck|didn'?t (?:help|work)|did not (?:help|work)|same (?:error|problem|issue|result)|(?:redeployed|restarted|rebooted) (?:it )?(?:twice|again|several|many|\d))\b/i;

const COMPARISON =
  /\b(vs\.?|versus|compare[ds]?|comparison|(?:differences?|trade-?offs?|choose|choosing|decide|deciding) between|differ(?:s)? from|(?:better|worse|cheaper|faster|safer) (?:than|to|for|option)|is it better|which (?:one|plan|option|tier|region|is better|should|would)|or should (?:i|we)|or (?:run|use|go with|host|self-host|build|keep|switch|stay with|scale|move))\b/i;
/** "Object storage or the database for …?": two options up front, not a yes/no lookup ("Can I pay with PayPal or card?"). */
const LEADING_ALTERNATIVES =
  /^(?!(?:can|could|do|does|did|is|are|was|were|will|would|how|what|where|when|who|may|am|has|have|hi|hello|hey)\b)[\w'-]+(?:\s+[\w'-]+){0,4}\s+or\s+\w/i;

const CONSTRAINTS =
  /\b(without|unless|make sure|ensure|guarantee|only (?:if|when|after|once)|securely|safely|reliably|efficiently|automatically|at once|at the same time|while (?:keeping|still|also|staying)|so that|as long as|rather than|that also|which also|(?:under|within|below|less than|above|over|exceeds?|more than) \d|minimal|minimi[sz]e|maximi[sz]e)\b/i;

const ARTIFACT =
  /\b(?:(?:write|generate|create|draft|give me|show me|help me (?:write|build|create|set up))\b[^.?!]{0,60}\b(?:workflow|script|dockerfile|docker-compose|config(?:uration)?(?! setting)|yaml|toml|json|pipeline|function|query|code|snippet|template|terraform|makefile|cron(?:tab)? (?:entry|line)|regex|sql)|(?:review|check|debug|fix|look at|what'?s wrong with) (?:this|my|our) (?:\w+ )?(?:file|config(?:uration)?|code|script|snippet|procfile|dockerfile|yaml|toml|query|function|workflow|pipeline|setup))\b/i;

const EXPLICIT =
  /\b(detailed|in (?:full )?detail|in depth|in-depth|thorough(?:ly)?|step[- ]by[- ]step|think (?:carefully|hard|it through)|carefully|comprehensive(?:ly)?|elaborate|deep ?dive|full explanation|explain (?:fully|everything)|walk me through|(?:use|with|ask) (?:the|your) (?:large|big|best|smartest|strongest|advanced) model|take your time)\b/i;

const CODE_BLOCK = /```|`[^`\n]{3,}`/;
const CODE_LINE =
  /(?:^|\n)[ \t]*(?:\$ |> |#!|[{}[\]];?[ \t]*$|(?:const|let|var|function|import|export|def|class|curl|npm|npx|git|docker|kubectl|acme)\s+-{0,2}\w)|=>|\b\w+\(\)|;[ \t]*$|\bat \S+ \(\S+:\d+:\d+\)|^[ \t]*(?:at|File) /im;
const LOG_LINE = /\b(?:HTTP\/\d(?:\.\d)? \d{3}|Traceback|stack ?trace|ERR(?:OR)?[_:]|E[A-Z]{4,}\b|0x[0-9a-f]{4,}|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2})/;
const CLI_FLAGS_OR_KEYS = /(?:^|\s)--[a-z][\w-]+|(?:^|\n)[ \t]*[\w.-]+:[ \t]+\S[^\n]*\n[ \t]*[\w.-]+:[ \t]+\S/i;
const CONSTANT_NAME = /\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/;

const ENUMERATION = /(?:^|\n)[ \t]*(?:\d+[.)]|[-*•])[ \t]+\S/g;
/** A second question joined to the first: ". Also …", "and how would I …", ", how to …". */
const JOINED_QUESTION =
  /(?:[?.]\s*(?:also|and|plus|additionally|separately|secondly|another (?:thing|question))\b)|(?:(?:,|;|\band\b|\bor\b)\s+(?:also\s+)?(?:how|what|why|which|when|where|whether)\b(?=\s+(?:[\w'-]+\s+){0,2}(?:i|we|you|it|to|the|my|our|they|is|are|do|does|can|would|should|will)\b))|(?:\band (?:can|could|do|does|is|are|will|would|should) (?:i|we|you|it|they)\b)/gi;
const GREETING = /^(?:hi|hello|hey|hiya|good (?:morning|afternoon|evening)|greetings|dear \w+)\b[^,!.?]{0,30}[,!.]\s*/i;
const FIRST_PERSON = /\b(i|i'm|i've|we|we're|we've|our|my|us)\b/i;
const FIGURE = /(?:[$€£]\s?)?\b\d[\d,.]*(?:\s?%|x\b)?/g;

/**
 * Reads the shape of a question. Runs in microseconds: a handful of precompiled regular expressions.
 *
 * @example
 * analyzeQuestion("Why does my deploy fail? And how do I roll back?")
 * // { words: 10, questions: 2, explanation: true, troubleshooting: true, … }
 */
export function analyzeQuestion(text: string): QuestionShape {
  const trimmed = text.trim();
  // Code and URLs are not prose; a greeting in front ("hello i am new, …") is not a question.
  const prose = trimmed.replace(/```[\s\S]*?```|`[^`]*`|https?:\/\/\S+/g, " ").replace(GREETING, "");
  const words = trimmed === "" ? 0 : trimmed.split(/\s+/).length;
  const questionMarks = prose.match(/\?+(?:!+)?/g)?.length ?? 0;
  const enumerated = trimmed.match(ENUMERATION)?.length ?? 0;
  const joins = prose.match(JOINED_QUESTION)?.length ?? 0;
  const questions = Math.max(questionMarks, enumerated >= 2 ? enumerated : 0, 1 + joins, words > 0 ? 1 : 0);
  const sentences = prose.split(/[.!?]+(?:\s+|$)/).filter((sentence) => sentence.trim().split(/\s+/).length >= 3).length;
  return {
    words,
    questions,
    advice: ADVICE.test(prose),
    explanation: EXPLANATION.test(prose),
    planning: new Set((prose.match(PLANNING_ALL) ?? []).map((cue) => cue.toLowerCase().slice(0, 6))).size,
    troubleshooting: TROUBLESHOOTING_WORDS.test(prose),
    symptomReport:
      !LOOKUP_FORM.test(prose.trim()) &&
      (SYMPTOM.test(prose) || (FIRST_PERSON.test(prose) && MALFUNCTION_CUE.test(prose)) || reportsInAStatement(prose)),
    alreadyTried: ALREADY_TRIED.test(prose),
    code: CODE_BLOCK.test(trimmed) || CODE_LINE.test(trimmed) || LOG_LINE.test(trimmed) || CONSTANT_NAME.test(trimmed) || CLI_FLAGS_OR_KEYS.test(trimmed),
    artifactRequest: ARTIFACT.test(prose),
    comparison: COMPARISON.test(prose) || LEADING_ALTERNATIVES.test(prose),
    situation: (sentences >= 2 || words >= 18) && words >= 15 && FIRST_PERSON.test(prose),
    constraints: CONSTRAINTS.test(prose),
    figures: prose.match(FIGURE)?.length ?? 0,
    explicitRequest: EXPLICIT.test(prose),
    lookup: LOOKUP_FORM.test(prose.trim()),
    howTo: HOW_TO.test(prose.trim()),
  };
}

/**
 * A sentence that states (no question mark, no question word first) something going wrong:
 * "Health check keeps flapping every few minutes." is a report even without "my".
 */
function reportsInAStatement(prose: string): boolean {
  for (const sentence of prose.split(/(?<=[.!?])\s+|\n+/)) {
    const text = sentence.trim();
    if (text.endsWith("?") || text.split(/\s+/).length < 5 || QUESTION_START.test(text)) continue;
    if (TROUBLESHOOTING_WORDS.test(text) || MALFUNCTION_CUE.test(text)) return true;
  }
  return false;
}
