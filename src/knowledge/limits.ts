/**
 * How much one knowledge folder may make the bot read and keep. A folder is written by people and tools the
 * bot does not control, so every cap is there to keep start-up fast and answers readable whatever it holds.
 * Each cap is reported, with its file and line, when it applies; none stops the other notes from loading.
 */
export const LIMITS = {
  /** A bigger note is refused before any of it is read: a 2 MB note is already hundreds of pages. */
  noteBytes: 2 * 1024 * 1024,
  /**
   * A longer paragraph or list item is split into passages at sentence ends (a code block at line ends, a
   * table row's cells are cut), so no single passage, and no answer, is longer than a few screens.
   */
  passageChars: 4000,
  /** Front matter holds a few fields (Kubernetes' longest is 4 KB); YAML reading slows sharply on huge ones. */
  frontMatterChars: 8 * 1024,
  /** Headings and titles are cited with every answer; longer ones are cut. */
  headingChars: 200,
  /** Sections after these are not read: no written note has this many (Kubernetes' largest page has ~350). */
  sectionsPerNote: 2000,
  /** Note files read from one folder; the rest are reported (the Kubernetes docs in two languages are ~1,600). */
  notesPerFolder: 10_000,
  /** Entries of any kind looked at while walking one folder, so a huge or densely linked tree still ends. */
  entriesPerFolder: 100_000,
} as const;
