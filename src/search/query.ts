import { EVERYDAY_WORDS, GLOSSARY } from './glossary.js';
import { tokenizeQuery } from './tokenize.js';

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
  /** A Kubernetes idea (glossary term or a word of the notes' headings) rather than a word of everyday talk. */
  topical: boolean;
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

const TRANSLATION_WEIGHT = 0.6;
/**
 * A known word that is neither a glossary term nor in any heading ("监听", "occupy", "hidden") is how a
 * question is phrased more than what it is about: it counts for less toward a confident answer, so a
 * passage that shares the phrasing cannot beat the one that shares the topic.
 */
const EVERYDAY_IMPORTANCE = 0.5;
const CORRECTION_WEIGHT = 0.9;
const SEPARATOR = '\u0001';

/**
 * "apiserver", "API server" and "kube-apiserver" are one name spelt three ways, not translations of each
 * other: glossary phrases with the same key keep the asker's full weight. Phrases with Chinese in them
 * keep their own text, so two Chinese words never count as one spelling.
 */
function spellingKey(phrase: string): string {
  return /[^\x00-\x7f]/.test(phrase) ? phrase : phrase.toLowerCase().replace(/[^a-z0-9]/g, '').replace(/^kube/, '');
}

/** Glossary phrases, tokenized like questions, keyed by their joined tokens. */
const phraseGroups = new Map<string, Set<number>>();
const GROUPS = [...GLOSSARY, ...EVERYDAY_WORDS];
/** Groups from this index on are everyday words: they translate, but do not make a clause topical. */
const FIRST_EVERYDAY = GLOSSARY.length;
const groupPhrases: string[][][] = GROUPS.map((group, g) =>
  group.map((phrase) => {
    const tokens = tokenizeQuery(phrase);
    const key = tokens.join(SEPARATOR);
    if (tokens.length > 0) {
      const groups = phraseGroups.get(key) ?? new Set<number>();
      groups.add(g);
      phraseGroups.set(key, groups);
    }
    return tokens;
  }),
);
const longestPhrase = Math.max(...groupPhrases.flat().map((t) => t.length));

/** A word of the question as typed (`raw`) and as searched (`term`: its plain form or spelling fix). */
interface QueryToken {
  term: string;
  raw: string;
  weight: number;
}

/**
 * Reads a question into clauses: its words, spelling-corrected against the notes' vocabulary, with glossary
 * phrases (longest first) grouped into one clause that also accepts their translations.
 */
export function buildQuery(question: string, vocabulary: Vocabulary): Clause[] {
  const seen = new Set<string>();
  const tokens: QueryToken[] = [];
  for (const raw of tokenizeQuery(question)) {
    const base = vocabulary.isKnown(raw) || phraseGroups.has(raw) ? raw : baseForm(raw, vocabulary);
    const corrected = base ? undefined : vocabulary.correct(raw);
    const term = base ?? corrected ?? raw;
    if (seen.has(term)) continue;
    seen.add(term);
    tokens.push({ term, raw, weight: corrected ? CORRECTION_WEIGHT : 1 });
  }

  const terms = tokens.map((t) => t.term);
  const raws = tokens.map((t) => t.raw);
  const chinese = HAN.test(question);
  const clauses: Clause[] = [];
  for (let i = 0; i < tokens.length; ) {
    let matched = 0;
    let groups: Set<number> | undefined;
    for (let length = Math.min(longestPhrase, tokens.length - i); length > 0 && !groups; length--) {
      groups = phraseGroups.get(terms.slice(i, i + length).join(SEPARATOR));
      if (groups) matched = length;
    }
    // Skipped unless the glossary knows it: a lone Han character the segmenter could not attach (写, 跑, 叫)
    // says little, and a compound read as its parts leaves the parts that follow it to be read.
    const parts = partsAfter(raws, i);
    if (!groups && (/^[\u3400-\u9fff\uf900-\ufaff]$/.test(terms[i]!) || readAsParts(tokens, i, parts, vocabulary))) {
      i++;
      continue;
    }
    matched = Math.max(matched, 1 + parts);
    const own = tokens.slice(i, i + matched);
    const ownTerms = own.map((t) => t.term);
    const weight = Math.min(...own.map((t) => t.weight));
    const alternatives: Alternative[] = [{ tokens: parts > 0 ? [terms[i]!] : ownTerms, weight }];
    const ownKey = ownTerms.join(SEPARATOR);
    const ownSpelling = spellingKey(parts > 0 ? terms[i]! : ownTerms.join(' '));
    for (const g of groups ?? []) {
      for (const [p, phrase] of groupPhrases[g]!.entries()) {
        const key = phrase.join(SEPARATOR);
        if (phrase.length > 0 && key !== ownKey && !alternatives.some((a) => a.tokens.join(SEPARATOR) === key)) {
          const spelling = spellingKey(GROUPS[g]![p]!) === ownSpelling;
          alternatives.push({ tokens: phrase, weight: spelling ? weight : weight * TRANSLATION_WEIGHT });
        }
      }
    }
    const topical = [...(groups ?? [])].some((g) => g < FIRST_EVERYDAY) || ownTerms.some((t) => vocabulary.isHeadingTerm(t));
    const known = alternatives.some((a) => a.tokens.every((t) => vocabulary.isKnown(t)));
    const phrasing = known && !topical ? EVERYDAY_IMPORTANCE : 1;
    clauses.push({ text: ownTerms.join(' '), alternatives, importance: importanceOf(alternatives, vocabulary, chinese) * phrasing, topical });
    i += own.length;
  }
  return clauses;
}

/**
 * The plain form of an inflected English word the notes or glossary know ("editing" -> edit, "paused" ->
 * pause, "running" -> run), so it is not spelling-corrected into a different word ("exiting").
 */
function baseForm(word: string, vocabulary: Vocabulary): string | undefined {
  const m = /^([a-z]{2,}?)(ing|ed|es|ly)$/.exec(word);
  if (!m) return undefined;
  const stem = m[1]!;
  const candidates = [stem, `${stem}e`, stem.length > 2 && stem.at(-1) === stem.at(-2) ? stem.slice(0, -1) : stem];
  return candidates.find((c) => vocabulary.isKnown(c) || phraseGroups.has(c));
}

/**
 * A compound and its parts (kube-proxy, kube, proxy) are one word, searched as the whole; the parts are
 * matched against what was typed, so imagePullPolcy, corrected as a whole, still groups. A compound the
 * notes never use is a name they lack (cert-manager), unless its parts are a glossary phrase (union-mount
 * is union mount) or known words once their typos are fixed (kube-controler-manger): then it is read as
 * its parts.
 */
function readAsParts(tokens: readonly QueryToken[], i: number, parts: number, vocabulary: Vocabulary): boolean {
  if (parts === 0 || vocabulary.isKnown(tokens[i]!.term)) return false;
  const own = tokens.slice(i + 1, i + 1 + parts);
  const misspelt = own.some((t) => t.term !== t.raw) && own.every((t) => vocabulary.isKnown(t.term));
  return misspelt || phraseGroups.has(own.map((t) => t.term).join(SEPARATOR));
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
  for (const [bit, clause] of clauses.entries()) {
    total += clause.importance;
    if (mask & (1 << bit)) covered += clause.importance;
  }
  return total > 0 ? covered / total : 0;
}

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
/**
 * An unknown Chinese pair weighs little: a question's bigrams often pair a word with a particle the
 * segmenter missed. An unknown Latin word (`istio`, `terraform`) is a real topic the notes lack.
 */
const UNKNOWN_HAN_IMPORTANCE = 1;
/**
 * In a Chinese question a Latin word is a name ("redis 集群模式怎么搭"), not phrasing; one the notes and
 * glossary never use is the subject they lack, so it weighs double.
 */
const NAME_IN_CHINESE_FACTOR = 2;
const NAME = /^[a-z][a-z-]+$/;
/**
 * An unknown word with a verb or adverb ending ("touching", "cheering", "quietly") is how a question is
 * phrased, not a tool the notes lack, so it weighs like an everyday word.
 */
const INFLECTED = /^[a-z]{4,}(?:ing|ed|ly)$/;

/**
 * The clause weighs as much as its first fully known phrasing's rarest word: "static pod" is as specific as
 * "static". A clause the notes do not know weighs by what kind of word it is (see the constants above).
 */
function importanceOf(alternatives: Alternative[], vocabulary: Vocabulary, inChinese: boolean): number {
  for (const alt of alternatives) {
    if (alt.tokens.every((t) => vocabulary.isKnown(t))) return Math.max(...alt.tokens.map((t) => vocabulary.idf(t)));
  }
  const own = alternatives[0]!.tokens;
  if (own.some((t) => HAN.test(t))) return UNKNOWN_HAN_IMPORTANCE;
  if (own.every((t) => INFLECTED.test(t))) return vocabulary.unknownImportance * EVERYDAY_IMPORTANCE;
  if (inChinese && NAME.test(own[0]!)) return vocabulary.unknownImportance * NAME_IN_CHINESE_FACTOR;
  return vocabulary.unknownImportance;
}
