import type { Lang } from '../lang.js';
import { phraseKey, type Glossary } from './glossary.js';
import type { RankingParams } from './params.js';
import { ASKS_FOR_LIST, SHAPES, TOOLS, type AnswerShape, type NamedTool } from './shapes.js';
import { chineseWords, tokenizeQuery } from './tokenize.js';

/** One way to say what a clause means; `weight` discounts translations and spelling guesses. */
export interface Alternative {
  tokens: string[];
  weight: number;
}

/**
 * One idea in the question, with every way a note might phrase it. A passage covers the clause when it
 * contains any alternative; `importance` is how much covering it counts toward a confident answer.
 */
export interface Clause {
  text: string;
  alternatives: Alternative[];
  importance: number;
  /**
   * A Kubernetes idea rather than a word of everyday talk: a glossary term, or a Latin word of the notes'
   * headings (a name: kubelet, etcd). A Chinese pair in a heading is not enough: in a large folder every
   * common pair (比较, 时间) is in some heading, and the Chinese words that are ideas are in the glossary.
   */
  topical: boolean;
}

/** A command line quoted in a question ("why does kubectl rollout undo keep failing"). */
export interface QuotedCommand {
  tool: 'kubectl' | 'docker';
  line: string;
}

/**
 * A question read once, for every stage that needs it: the clauses retrieval matches, the shape of answer it
 * asks for, the tool it names and the command line it quotes.
 */
export interface Query {
  text: string;
  lang: Lang;
  clauses: Clause[];
  /** One bit per topical clause. */
  topicalMask: number;
  /** The shapes the question asks for, each with the clauses (one bit each) that only name the shape. */
  shapes: { shape: AnswerShape; covers: number }[];
  /** It asks for the kinds, ways or values of something: the answer is a whole list. */
  asksForList: boolean;
  /** The one tool it names, if it names exactly one. */
  tool?: NamedTool;
  command?: QuotedCommand;
  /** The note the conversation's last answer came from, when the question is read as its follow-up. */
  inNote?: string;
}

/** What the query builder needs to know about the indexed vocabulary. */
export interface Vocabulary {
  isKnown(term: string): boolean;
  idf(term: string): number;
  /** What a word the notes never mention weighs: as much as a rare real term. */
  unknownImportance: number;
  correct(word: string): string | undefined;
  /** Whether the notes' headings use the term. */
  isHeadingTerm(term: string): boolean;
}

/**
 * "apiserver", "API server" and "kube-apiserver" are one name spelt three ways, not translations of each
 * other: glossary phrases with the same key keep the asker's full weight. Phrases with Chinese in them
 * keep their own text, so two Chinese words never count as one spelling.
 */
function spellingKey(phrase: string): string {
  return /[^\x00-\x7f]/.test(phrase) ? phrase : phrase.toLowerCase().replace(/[^a-z0-9]/g, '').replace(/^kube/, '');
}

/** A word of the question as typed (`raw`) and as searched (`term`: its plain form or spelling fix). */
interface QueryToken {
  term: string;
  raw: string;
  weight: number;
}

const COMMAND_IN_TEXT = /(?:^|\s)((kubectl|kubctl|kubeclt)\s+\S[\s\S]*|(docker)\s+[a-z][\s\S]*)$/i;
const TOOL_NAMED = TOOLS.map((tool) => ({ tool, named: new RegExp(`\\b${tool}\\b`, 'i') }));

/** Reads a question once into everything ranking needs to know about it. */
export function parseQuery(text: string, lang: Lang, vocabulary: Vocabulary, glossary: Glossary, params: RankingParams): Query {
  const clauses = buildClauses(text, vocabulary, glossary, params).slice(0, params.query.maxClauses);
  const shapes = SHAPES.filter((s) => s.asks.test(text)).map((shape) => ({
    shape,
    covers: clauses.reduce((mask, c, bit) => (shape.names?.test(c.text) ? mask | (1 << bit) : mask), 0),
  }));
  const named = TOOL_NAMED.filter(({ named }) => named.test(text));
  const quoted = COMMAND_IN_TEXT.exec(text);
  return {
    text,
    lang,
    clauses,
    topicalMask: clauses.reduce((mask, c, bit) => (c.topical ? mask | (1 << bit) : mask), 0),
    shapes,
    asksForList: ASKS_FOR_LIST.test(text),
    ...(named.length === 1 ? { tool: named[0]!.tool } : {}),
    ...(quoted ? { command: { tool: quoted[3] ? 'docker' : 'kubectl', line: quoted[1]! } } : {}),
  };
}

/**
 * Reads a question into clauses: its words, spelling-corrected against the notes' vocabulary, with glossary
 * phrases (longest first) grouped into one clause that also accepts their translations.
 */
function buildClauses(question: string, vocabulary: Vocabulary, glossary: Glossary, params: RankingParams): Clause[] {
  const { translationWeight, correctionWeight, everydayImportance } = params.query;
  const seen = new Set<string>();
  const tokens: QueryToken[] = [];
  for (const raw of tokenizeQuery(question)) {
    const base = vocabulary.isKnown(raw) || glossary.has(raw) ? raw : baseForm(raw, vocabulary, glossary);
    const corrected = base ? undefined : vocabulary.correct(raw);
    const term = base ?? corrected ?? raw;
    if (seen.has(term)) continue;
    seen.add(term);
    tokens.push({ term, raw, weight: corrected ? correctionWeight : 1 });
  }

  const terms = tokens.map((t) => t.term);
  const raws = tokens.map((t) => t.raw);
  const words = new UnknownWords(question);
  const clauses: Clause[] = [];
  for (let i = 0; i < tokens.length; ) {
    let matched = 0;
    let groups: readonly number[] | undefined;
    for (let length = Math.min(glossary.longestPhrase, tokens.length - i); length > 0 && !groups; length--) {
      groups = glossary.groupsOf(phraseKey(terms.slice(i, i + length)));
      if (groups) matched = length;
    }
    // Skipped unless the glossary knows it: a lone Han character the segmenter could not attach (写, 跑, 叫)
    // says little, and a compound read as its parts leaves the parts that follow it to be read.
    const parts = partsAfter(raws, i);
    if (!groups && (/^[\u3400-\u9fff\uf900-\ufaff]$/.test(terms[i]!) || readAsParts(tokens, i, parts, vocabulary, glossary))) {
      i++;
      continue;
    }
    matched = Math.max(matched, 1 + parts);
    const own = tokens.slice(i, i + matched);
    const ownTerms = own.map((t) => t.term);
    const weight = Math.min(...own.map((t) => t.weight));
    const alternatives: Alternative[] = [{ tokens: parts > 0 ? [terms[i]!] : ownTerms, weight }];
    const ownKey = phraseKey(ownTerms);
    const ownSpelling = spellingKey(parts > 0 ? terms[i]! : ownTerms.join(' '));
    for (const g of groups ?? []) {
      for (const phrase of glossary.phrasesOf(g)) {
        const key = phraseKey(phrase.tokens);
        if (phrase.tokens.length > 0 && key !== ownKey && !alternatives.some((a) => phraseKey(a.tokens) === key)) {
          const spelling = spellingKey(phrase.text) === ownSpelling;
          alternatives.push({ tokens: [...phrase.tokens], weight: spelling ? weight : weight * translationWeight });
        }
      }
    }
    const topical = (groups ?? []).some((g) => !glossary.isEveryday(g)) || ownTerms.some((t) => !HAN.test(t) && vocabulary.isHeadingTerm(t));
    const known = alternatives.some((a) => a.tokens.every((t) => vocabulary.isKnown(t)));
    const phrasing = known && !topical ? everydayImportance : 1;
    clauses.push({ text: ownTerms.join(' '), alternatives, importance: importanceOf(alternatives, vocabulary, words, params) * phrasing, topical });
    i += own.length;
  }
  return clauses;
}

/**
 * The plain form of an inflected English word the notes or glossary know ("editing" -> edit, "paused" ->
 * pause, "running" -> run), so it is not spelling-corrected into a different word ("exiting").
 */
function baseForm(word: string, vocabulary: Vocabulary, glossary: Glossary): string | undefined {
  const m = /^([a-z]{2,}?)(ing|ed|es|ly)$/.exec(word);
  if (!m) return undefined;
  const stem = m[1]!;
  const candidates = [stem, `${stem}e`, stem.length > 2 && stem.at(-1) === stem.at(-2) ? stem.slice(0, -1) : stem];
  return candidates.find((c) => vocabulary.isKnown(c) || glossary.has(c));
}

/**
 * A compound and its parts (kube-proxy, kube, proxy) are one word, searched as the whole; the parts are
 * matched against what was typed, so imagePullPolcy, corrected as a whole, still groups. A compound the
 * notes never use is a name they lack (cert-manager), unless its parts are a glossary phrase (union-mount
 * is union mount) or known words once their typos are fixed (kube-controler-manger): then it is read as
 * its parts.
 */
function readAsParts(tokens: readonly QueryToken[], i: number, parts: number, vocabulary: Vocabulary, glossary: Glossary): boolean {
  if (parts === 0 || vocabulary.isKnown(tokens[i]!.term)) return false;
  const own = tokens.slice(i + 1, i + 1 + parts);
  const misspelt = own.some((t) => t.term !== t.raw) && own.every((t) => vocabulary.isKnown(t.term));
  return misspelt || glossary.has(phraseKey(own.map((t) => t.term)));
}

/**
 * How many of the terms after `terms[i]` are its parts: the tokenizer follows a Latin compound
 * (`kube-proxy`, `imagePullPolicy`) with its words.
 */
function partsAfter(terms: readonly string[], i: number): number {
  const whole = terms[i]!;
  if (!/[a-z]/.test(whole)) return 0;
  let rest = whole.replace(/[^\p{L}\p{N}]/gu, '');
  let n = 0;
  for (let j = i + 1; j < terms.length; j++) {
    const at = rest.indexOf(terms[j]!);
    if (terms[j] === whole || at < 0) break;
    rest = rest.slice(at + terms[j]!.length);
    n++;
  }
  return n;
}

/** The share of the question's importance held by the clauses in `mask` (one bit per clause), 0..1. */
export function coverageOf(clauses: readonly Clause[], mask: number): number {
  let covered = 0;
  let total = 0;
  // An index loop: span scoring calls this for every span it weighs, and an entries() pair each is garbage.
  for (let bit = 0; bit < clauses.length; bit++) {
    const { importance } = clauses[bit]!;
    total += importance;
    if (mask & (1 << bit)) covered += importance;
  }
  return total > 0 ? covered / total : 0;
}

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
const NAME = /^[a-z][a-z-]+$/;
/**
 * An unknown word with a verb or adverb ending ("touching", "cheering", "quietly") is how a question is
 * phrased, not a tool the notes lack, so it weighs like an everyday word.
 */
const INFLECTED = /^[a-z]{4,}(?:ing|ed|ly)$/;

/**
 * Which unknown Chinese pairs of a question are whole words: 火锅 in "火锅底料怎么配" is a subject the notes
 * lack, while 么配 is only two characters the segmenter could not place. Segmented once, and only for a
 * question that has an unknown pair.
 */
class UnknownWords {
  private words?: ReadonlySet<string>;
  readonly chinese: boolean;

  constructor(private readonly question: string) {
    this.chinese = HAN.test(question);
  }

  /** How many pairs the word holding `pair` splits into (1 for a two-character word), or 0 for no word. */
  pairsOfWord(pair: string): number {
    this.words ??= chineseWords(this.question);
    for (const word of this.words) if (word.includes(pair)) return word.length - 1;
    return 0;
  }
}

/**
 * The clause weighs as much as its first fully known phrasing's rarest word: "static pod" is as specific as
 * "static". A clause the notes do not know weighs by what kind of word it is (see `RANKING.query`).
 */
function importanceOf(alternatives: Alternative[], vocabulary: Vocabulary, words: UnknownWords, params: RankingParams): number {
  const { unknownHanPairImportance, unknownHanWordFactor, everydayImportance, nameInChineseFactor } = params.query;
  for (const alt of alternatives) {
    if (alt.tokens.every((t) => vocabulary.isKnown(t))) return Math.max(...alt.tokens.map((t) => vocabulary.idf(t)));
  }
  const own = alternatives[0]!.tokens;
  if (own.some((t) => HAN.test(t))) {
    // A longer word is split into overlapping pairs: together they weigh as one word.
    const pairs = own.length === 1 ? words.pairsOfWord(own[0]!) : 0;
    return pairs > 0 ? Math.max(unknownHanPairImportance, (vocabulary.unknownImportance * unknownHanWordFactor) / pairs) : unknownHanPairImportance;
  }
  if (own.every((t) => INFLECTED.test(t))) return vocabulary.unknownImportance * everydayImportance;
  if (words.chinese && NAME.test(own[0]!)) return vocabulary.unknownImportance * nameInChineseFactor;
  return vocabulary.unknownImportance;
}
