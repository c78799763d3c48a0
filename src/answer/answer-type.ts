import type { Passage } from '../knowledge/note.js';
import { passageText } from '../search/search-index.js';

/**
 * Some questions say what shape their answer has: "打镜像的命令是啥" wants a command, "写进哪个文件" a file
 * name, "since which version" a version, "why" a reason. Among passages that match the words about equally,
 * the one that has that shape is the better answer.
 */
interface AnswerShape {
  asks: RegExp;
  has: (passage: Passage, text: string) => boolean;
}

const SHAPES: AnswerShape[] = [
  {
    asks: /命令|指令|怎么敲|\bcommand\b|\bcli\b|which command|what command/i,
    has: (p, text) => p.kind === 'code' || /`(kubectl|docker|kubeadm|crictl|systemctl|nsenter|unshare)\s[^`]+`/.test(text),
  },
  {
    asks: /哪个文件|什么文件|文件名|哪个目录|什么目录|路径|\bfile\b|\bfolder\b|\bdirectory\b|\bpath\b/i,
    has: (_, text) => /(^|[\s`(（])\/[\w.-]+\/[\w./-]+|`[\w-]+\.[a-z]{1,5}`/.test(text),
  },
  {
    asks: /哪个版本|什么版本|从.*版本|since which|which version|what version/i,
    has: (_, text) => /\bv?1\.\d{1,2}\b/.test(text),
  },
  {
    asks: /\bwhy\b|为什么|为啥|为何|原因/i,
    has: (_, text) => /\bbecause\b|\breasons?\b|\bso that\b|\bin order to\b|为了|因为|原因|之所以|目的是/i.test(text),
  },
  {
    asks: /参数|选项|\bflags?\b|\boptions?\b/i,
    has: (_, text) => /(^|[\s`])--[a-z][\w-]+/.test(text),
  },
];

/** How much more a passage with the asked-for shape ranks. */
const SHAPE_BONUS = 1.3;

/** A ranking factor for `passage` as an answer to `question`: above 1 when it has the shape asked for. */
export function shapeFactor(question: string): (passage: Passage) => number {
  const wanted = SHAPES.filter((s) => s.asks.test(question));
  if (wanted.length === 0) return () => 1;
  return (passage) => {
    const text = passageText(passage);
    return wanted.some((s) => s.has(passage, text)) ? SHAPE_BONUS : 1;
  };
}
