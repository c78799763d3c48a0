import type { Lang } from '../lang.js';

/** Every sentence the bot itself says, in both languages, so replies follow the asker's language. */
export const MESSAGES = {
  notFound: {
    zh: '笔记里没有找到这个问题的答案。',
    en: "The notes don't cover that.",
  },
  notFoundWithSuggestions: {
    zh: '笔记里没有找到这个问题的答案。也许你想问的是：',
    en: "The notes don't cover that. Perhaps one of these helps:",
  },
  help: {
    zh: '我会根据团队的笔记回答容器、Docker 和 Kubernetes 的问题，中文英文都可以。直接提问即可，例如：',
    en: "I answer questions about containers, Docker and Kubernetes from the team's notes, in English or Chinese. Just ask, for example:",
  },
  unknownCommand: {
    zh: '不认识这个命令：',
    en: 'Unknown command:',
  },
  tooLong: {
    zh: '问题太长了（{length} 个字符，上限 {limit}），请精简后再问。',
    en: 'That question is too long ({length} characters; the limit is {limit}). Please shorten it.',
  },
} satisfies Record<string, Record<Lang, string>>;

export function say(key: keyof typeof MESSAGES, lang: Lang, values: Record<string, string | number> = {}): string {
  return MESSAGES[key][lang].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
}

/** Examples shown with help, one per language. */
export const EXAMPLE_QUESTIONS: Record<Lang, string[]> = {
  zh: ['apiserver 默认端口是多少？', 'Deployment 怎么回滚到指定版本？', 'Pod 有哪些状态？'],
  en: ['How do I roll back a deployment to a revision?', 'Which port does the API server use?', 'What does imagePullPolicy default to?'],
};
