/**
 * Every weight and threshold of the ranking, in one place, so that a change to how answers are chosen is a
 * change to one documented number rather than a new rule somewhere else. `ask --explain --json` shows how
 * each of them contributed to a question's answer. The values were set on the tuning halves of the eval
 * sets (`npm run eval` prints the checking halves beside them).
 */
export const RANKING = {
  query: {
    /** A glossary translation of the asker's word counts this much of the word itself. */
    translationWeight: 0.6,
    /** A spelling-corrected word counts this much of a word typed right. */
    correctionWeight: 0.9,
    /**
     * A known word that is neither a glossary term nor in any heading ("监听", "occupy") is how a question
     * is phrased more than what it is about: its importance is scaled by this, so a passage that shares
     * the phrasing cannot beat the one that shares the topic.
     */
    everydayImportance: 0.5,
    /**
     * An unknown Chinese pair glued from characters the segmenter could not place (a word and a particle)
     * weighs this much...
     */
    unknownHanPairImportance: 1,
    /**
     * ...while a whole two-character word the segmenter knows is a subject the notes lack (火锅, like
     * terraform): it weighs this share of an unknown Latin word.
     */
    unknownHanWordFactor: 0.5,
    /** A Latin name the notes lack, in a Chinese question ("redis 集群"), is the subject: it weighs double. */
    nameInChineseFactor: 2,
    /**
     * Spelling repair against the notes' words: shorter words are never corrected (they are too often a
     * different real word, "stage" is not "state"); from `twoEditsFrom` letters a fix may be two edits away.
     */
    spelling: { minLength: 5, twoEditsFrom: 8 },
    /** Clauses beyond this many are dropped: a pasted paragraph is not a question. */
    maxClauses: 30,
  },
  retrieval: {
    /** How much a section's heading match adds to each of its passages. */
    headingWeight: 0.7,
    /** Sections whose headings match are searched in full, but only this many per question. */
    headingSections: 20,
    /** Passages kept from retrieval for span scoring. */
    candidates: 30,
    /** On documentation-sized collections, a translation in more than this share of documents... */
    commonTranslationShare: 0.01,
    /** ...and in more than this many is skipped: the asker's own words cover the clause already. */
    commonTranslationMinDf: 2000,
    /** Postings one clause may walk over all its phrasings. */
    clausePostingsBudget: 20_000,
  },
  span: {
    /**
     * The reading budget of an answer, in characters of prose. A span of consecutive passages of one
     * section is shown as the answer; it may not cost more than this (a single passage always may).
     */
    budget: 900,
    /** A code block costs at most this much of the budget: it is copied, not read word by word. */
    codeCost: 240,
    /** Matching passages of the span beyond its best one add this share of their score. */
    restWeight: 0.1,
    /**
     * A clause met only by another passage of the span than the one that covers the most counts this
     * share: an introduction and its list answer together, but a list whose items each share one word of
     * the question is not an answer to it.
     */
    spreadCoverage: 0.5,
    /** A longer span reads slower: its score loses this share at a full budget (linearly). */
    lengthCost: 0.12,
    /**
     * What it costs to cut between two passages, by what they are to each other (0: nothing lost, 1: the
     * span is worthless). A span pays for the cut at each of its two ends.
     */
    cut: {
      /** After a sentence that announces what follows ("there are three ways:"). */
      introduction: 0.65,
      /** Between a code block and the sentence before it that says what it does. */
      codeIntroduction: 0.45,
      /** Between two items of one list, or two rows of one table. */
      siblings: 0.12,
      /** The same, when the question asks for the kinds, ways or values: the answer is the whole list. */
      siblingsAsked: 0.5,
      /** Between two paragraphs, or a paragraph and a list. */
      paragraphs: 0.06,
    },
  },
  answer: {
    /**
     * The share of a question's importance the chosen span must cover to be presented as the answer;
     * below it the bot says the notes do not cover the question. Lower lets off-topic questions through
     * on a shared word; higher turns away real questions phrased loosely.
     */
    confidentCoverage: 0.45,
    /** A span in the other language than the question's is scored this much lower. */
    otherLanguageFactor: 0.8,
    /**
     * The asker's language wins when its best confident span scores at least this share of the best span
     * overall; otherwise the other language's answer is shown with a line saying so.
     */
    ownLanguageRatio: 0.55,
    /** A span with the shape the question asks for (a command, a file, a version...) ranks this much higher. */
    shapeBonus: 1.3,
    /** A span whose command is another tool's than the one the question names ranks this much lower. */
    otherToolFactor: 0.8,
    /** Related sections offered beside an answer or a decline. */
    related: 3,
  },
  conversation: {
    /**
     * A follow-up borrows the words of the last turn it leans on ("那默认值呢？" borrows "Deployment"); they
     * count this much of their own weight, in the match and in what the answer must cover, so they steer
     * without outvoting the follow-up's own words.
     */
    borrowedWeight: 0.6,
    /**
     * ...and all of them together weigh at most this many times the follow-up's own words: a long first
     * question lends many words, and seven of them at 0.6 each would still outvote the one word the
     * follow-up asks about ("那写好之后怎么 build 出来？" after a question about EXPOSE in a Dockerfile).
     */
    borrowedShare: 1.5,
    /** A follow-up's answer from the note the last answer came from ranks this much higher: people go on where they were. */
    sameNoteFactor: 1.3,
  },
} as const;

type Widen<T> = T extends number ? number : { readonly [K in keyof T]: Widen<T[K]> };
/** The shape of {@link RANKING}, with numbers free to differ (tests and tuning pass their own). */
export type RankingParams = Widen<typeof RANKING>;
