import { z } from 'zod';

export const LangSchema = z.enum(['zh', 'en']);
/** The two languages the notes and replies come in. */
export type Lang = z.infer<typeof LangSchema>;

const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/gu;
const LATIN_WORD = /[A-Za-z]{2,}/g;

/**
 * Guesses the language of a question or note. Team chat mixes English terms into Chinese sentences, so any
 * real Chinese wording (two or more Han characters, and not drowned in a long English text) makes it Chinese.
 */
export function detectLang(text: string): Lang {
  const han = text.match(HAN)?.length ?? 0;
  if (han < 2) return 'en';
  const latinWords = text.match(LATIN_WORD)?.length ?? 0;
  return han * 2 >= latinWords ? 'zh' : 'en';
}

const HAN_CHAR = /\p{Script=Han}/u;
export const ZhTextSchema = z.string().trim().min(1).refine((s) => HAN_CHAR.test(s), 'must be written in Chinese');
export const EnTextSchema = z.string().trim().min(1).refine((s) => !HAN_CHAR.test(s), 'must be written in English');

/** The same words in both languages the bot answers in. */
export const BilingualSchema = z.strictObject({ zh: ZhTextSchema, en: EnTextSchema });
export type Bilingual = z.infer<typeof BilingualSchema>;
