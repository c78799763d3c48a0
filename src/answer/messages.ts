import type { Tool } from '../commands/catalog.js';
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
    zh: '我会根据团队的笔记回答容器、Docker 和 Kubernetes 的问题，中文英文都可以。查命令用 /kubectl 或 /docker 加命令名或想做的事（如 /kubectl 回滚），/tip 看今日小贴士。直接提问即可，例如：',
    en: "I answer questions about containers, Docker and Kubernetes from the team's notes, in English or Chinese. Look a command up with /kubectl or /docker and a name or what you want to do (/kubectl roll back); /tip shows the tip of the day. Just ask, for example:",
  },
  unknownCommand: {
    zh: '不认识这个命令：',
    en: 'Unknown command:',
  },
  rateLimited: {
    zh: '你在一分钟内问了超过 {limit} 个问题，我先歇一会儿：过一分钟再问吧。',
    en: "You've sent more than {limit} requests in a minute, so I'm pausing for you: please try again in a minute.",
  },
  thanks: {
    zh: '谢谢，已记下你的反馈。',
    en: 'Thanks, your feedback is recorded.',
  },
  nothingMore: {
    zh: '没有可以展开的回答：回答只显示了章节的一部分时，才能看全文。',
    en: 'There is no answer to show more of: the whole section can be shown when an answer showed only part of it.',
  },
  sectionGone: {
    zh: '这个章节已经不在笔记里了（笔记可能刚更新过），请重新提问。',
    en: 'That section is no longer in the notes (they may have just been updated); please ask again.',
  },
  tooLong: {
    zh: '问题太长了（{length} 个字符，上限 {limit}），请精简后再问。',
    en: 'That question is too long ({length} characters; the limit is {limit}). Please shorten it.',
  },
  noSuchCommand: {
    zh: '{tool} 没有这个命令：{query}。最接近的是：',
    en: '{tool} has no such command: {query}. The closest ones:',
  },
  noCommandMatch: {
    zh: '命令表里没有和“{query}”对得上的 {tool} 命令。',
    en: 'No {tool} command in the catalog fits "{query}".',
  },
  noCommandMatchWithSuggestions: {
    zh: '命令表里没有和“{query}”对得上的 {tool} 命令。也许是这些：',
    en: 'No {tool} command in the catalog fits "{query}". Perhaps one of these:',
  },
  lookupHelp: {
    zh: '在 {tool} 后面写命令名（拼错也没关系）、想做的事，或粘贴一行命令，例如：',
    en: 'Give {tool} a command name (typos are fine), what you want to do, or a pasted command line, for example:',
  },
  lookupTooLong: {
    zh: '这段内容太长了，没法查（{length} 个字符，上限 {limit}）。请只粘贴要查的那条命令。',
    en: 'That is too long to look up ({length} characters; the limit is {limit}). Paste just the command you want explained.',
  },
  ignoredAfterSeparator: {
    zh: '只查了第一条命令，后面的部分已忽略：`{ignored}`',
    en: 'Only the first command was looked up; the rest was ignored: `{ignored}`',
  },
  commandLineMeaning: {
    zh: '这条命令行的各部分：',
    en: 'What this command line says:',
  },
  resourceMeans: {
    zh: '`{given}` 指 {name}',
    en: '`{given}` means {name}',
  },
  unknownFlag: {
    zh: '⚠ `{flag}` 不是 `{command}` 的参数',
    en: '⚠ `{flag}` is not a flag of `{command}`',
  },
  didYouMean: {
    zh: '，是不是想用 `{nearest}`？',
    en: '; did you mean `{nearest}`?',
  },
  globalOption: {
    zh: '（全局参数）',
    en: ' (global option)',
  },
  seeHelp: {
    zh: '说明见 `{command} --help`',
    en: 'see `{command} --help`',
  },
  flagsTitle: {
    zh: '常用参数：',
    en: 'Flags that matter:',
  },
  examplesTitle: {
    zh: '示例：',
    en: 'Examples:',
  },
  otherCommands: {
    zh: '其他可能的命令：',
    en: 'Other candidates:',
  },
  readAsAbout: {
    zh: '关于 {topic}：',
    en: 'About {topic}:',
  },
  fromTheNotes: {
    zh: '笔记里的相关内容：',
    en: 'From the notes:',
  },
  fromOtherLanguage: {
    zh: '（中文笔记里没有这一点，以下摘自英文笔记。）',
    en: '(The English notes do not cover this; this is from the Chinese notes.)',
  },
  tipOfTheDay: {
    zh: '💡 今日小贴士：',
    en: '💡 Tip of the day:',
  },
  noTips: {
    zh: '还没有可用的小贴士（knowledge/tips 里没有）。',
    en: 'There are no tips yet (knowledge/tips holds none).',
  },
  digestTitle: {
    zh: '📋 维护者周报（{from} 至 {to}）',
    en: "📋 Maintainers' digest, {from} to {to}",
  },
  digestEmpty: {
    zh: '📋 维护者周报（{from} 至 {to}）：这段时间没有人提问，也没有 👎。',
    en: "📋 Maintainers' digest, {from} to {to}: nobody asked anything and no answer got a 👎.",
  },
  digestActivity: {
    zh: '回答了 {answered} 个问题，{notFound} 个问题笔记里没有答案。',
    en: '{answered} questions answered, {notFound} not found in the notes.',
  },
  digestUnanswered: {
    zh: '**问得最多、笔记里却没有的问题：**',
    en: '**Most asked questions the notes could not answer:**',
  },
  digestNoUnanswered: {
    zh: '每个问题笔记里都有答案。',
    en: 'The notes answered every question.',
  },
  digestWordings: {
    zh: '（共 {count} 种问法）',
    en: '({count} wordings)',
  },
  digestDownVoted: {
    zh: '**被点了 👎 的回答：**',
    en: '**Answers that got a 👎:**',
  },
  digestNoQuestion: {
    zh: '（问题没有记录）',
    en: '(question not logged)',
  },
} satisfies Record<string, Record<Lang, string>>;

export function say(key: keyof typeof MESSAGES, lang: Lang, values: Record<string, string | number> = {}): string {
  return MESSAGES[key][lang].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
}

/** Lookups shown with a command lookup's help, for each tool and language. */
export const EXAMPLE_LOOKUPS: Record<Tool, Record<Lang, string[]>> = {
  kubectl: {
    zh: ['回滚', 'rolout undo', 'kubectl scale deploy web --replicas=3'],
    en: ['roll back', 'rolout undo', 'kubectl scale deploy web --replicas=3'],
  },
  docker: {
    zh: ['后台运行容器', 'build', 'docker run -d -p 8080:80 nginx'],
    en: ['run a container in the background', 'build', 'docker run -d -p 8080:80 nginx'],
  },
};

/** Examples shown with help, one per language. */
export const EXAMPLE_QUESTIONS: Record<Lang, string[]> = {
  zh: ['apiserver 默认端口是多少？', 'Deployment 怎么回滚到指定版本？', 'Pod 有哪些状态？'],
  en: ['How do I roll back a deployment to a revision?', 'Which port does the API server use?', 'What does imagePullPolicy default to?'],
};
