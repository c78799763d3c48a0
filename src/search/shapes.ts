/**
 * Some questions say what shape their answer has: "打镜像的命令是啥" wants a command, "写进哪个文件" a file
 * name, "since which version" a version, "why" a reason. Among spans that match the words about equally,
 * the one that has that shape is the better answer, and it covers the question's word for the shape: a
 * `docker build` line answers "what command builds an image" without saying "command".
 */
import type { Passage } from '../knowledge/note.js';

export interface AnswerShape {
  name: 'command' | 'file' | 'version' | 'reason' | 'flag' | 'list';
  /** The question asks for this shape. */
  asks: RegExp;
  /** The question's clause that names the shape ("命令", "file"), when it has one. */
  names?: RegExp;
  /** A passage of this kind and text has this shape. */
  has: (text: string, kind: Passage['kind']) => boolean;
}

/**
 * The question asks for the members of a set (the kinds, ways, values, steps): its answer is a whole list
 * or table, not one item of it.
 */
export const ASKS_FOR_LIST =
  /哪些|哪几|几种|几类|几个|有什么|都有|分别|各种|列出|列表|步骤|\b(?:what|which)\s+(?:kinds?|types?|ways?|modes?|options|values|fields|steps|methods|levels|labels|phases|states)\b|\b(?:kinds|types|ways|list)\s+of\b|\ball\s+the\b|^\s*list\b|\b(?:kinds|types|modes|values|options|phases|steps|methods)\b/i;

export const SHAPES: readonly AnswerShape[] = [
  {
    name: 'command',
    asks: /命令|指令|怎么敲|\bcommand\b|\bcli\b|which command|what command/i,
    names: /^(命令|指令|command|cli)$/,
    has: (text, kind) => kind === 'code' || /`(kubectl|docker|kubeadm|crictl|systemctl|nsenter|unshare)\s[^`]+`/.test(text),
  },
  {
    name: 'file',
    asks: /哪个文件|什么文件|文件名|哪个目录|什么目录|路径|\bfile\b|\bfolder\b|\bdirectory\b|\bpath\b/i,
    names: /^(文件|文件名|目录|路径|file|folder|directory|path)$/,
    has: (text) => /(^|[\s`(（])\/[\w.-]+\/[\w./-]+|`[\w-]+\.[a-z]{1,5}`/.test(text),
  },
  {
    name: 'version',
    asks: /哪个版本|什么版本|从.*版本|since which|which version|what version|since when/i,
    names: /^(版本|version)$/,
    has: (text) => /\bv?1\.\d{1,2}\b/.test(text),
  },
  {
    name: 'reason',
    asks: /\bwhy\b|为什么|为啥|为何|原因/i,
    has: (text) => /\bbecause\b|\breasons?\b|\bso that\b|\bin order to\b|为了|因为|原因|之所以|目的是/i.test(text),
  },
  {
    name: 'flag',
    asks: /参数|选项|\bflags?\b|\boptions?\b/i,
    names: /^(参数|选项|flag|option)$/,
    // A command-line flag, or a constant such as CLONE_NEWPID passed to a system call.
    has: (text) => /(^|[\s`])--[a-z][\w-]+|\b[A-Z]{2,}_[A-Z_]{2,}\b/.test(text),
  },
  {
    // "what values can it take" is answered by the list of values, which need not say "value".
    name: 'list',
    asks: ASKS_FOR_LIST,
    names: /^(values?|kinds?|types?|ways?|modes?|options?|list|几种|几类|哪几|几层|种类|类型|方式|取值)$/,
    has: (_, kind) => kind === 'list-item' || kind === 'table-row',
  },
];

/** The tools whose commands the notes quote; a question that names one wants that tool's command. */
export const TOOLS = ['docker', 'kubectl', 'kubeadm'] as const;
export type NamedTool = (typeof TOOLS)[number];
