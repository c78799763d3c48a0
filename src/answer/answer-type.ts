import type { Passage } from '../knowledge/note.js';
import type { Clause } from '../search/query.js';
import { passageText } from '../search/search-index.js';

/**
 * Some questions say what shape their answer has: "打镜像的命令是啥" wants a command, "写进哪个文件" a file
 * name, "since which version" a version, "why" a reason. Among passages that match the words about equally,
 * the one that has that shape is the better answer, and it covers the question's word for the shape: a
 * `docker build` line answers "what command builds an image" without saying "command".
 */
interface AnswerShape {
  asks: RegExp;
  /** The question's clause that names the shape ("命令", "file"), when it has one. */
  names?: RegExp;
  has: (passage: Passage, text: string) => boolean;
}

const SHAPES: AnswerShape[] = [
  {
    asks: /命令|指令|怎么敲|\bcommand\b|\bcli\b|which command|what command/i,
    names: /^(命令|指令|command|cli)$/,
    has: (p, text) => p.kind === 'code' || /`(kubectl|docker|kubeadm|crictl|systemctl|nsenter|unshare)\s[^`]+`/.test(text),
  },
  {
    asks: /哪个文件|什么文件|文件名|哪个目录|什么目录|路径|\bfile\b|\bfolder\b|\bdirectory\b|\bpath\b/i,
    names: /^(文件|文件名|目录|路径|file|folder|directory|path)$/,
    has: (_, text) => /(^|[\s`(（])\/[\w.-]+\/[\w./-]+|`[\w-]+\.[a-z]{1,5}`/.test(text),
  },
  {
    asks: /哪个版本|什么版本|从.*版本|since which|which version|what version/i,
    names: /^(版本|version)$/,
    has: (_, text) => /\bv?1\.\d{1,2}\b/.test(text),
  },
  {
    asks: /\bwhy\b|为什么|为啥|为何|原因/i,
    has: (_, text) => /\bbecause\b|\breasons?\b|\bso that\b|\bin order to\b|为了|因为|原因|之所以|目的是/i.test(text),
  },
  {
    asks: /参数|选项|\bflags?\b|\boptions?\b/i,
    names: /^(参数|选项|flag|option)$/,
    // A command-line flag, or a constant such as CLONE_NEWPID passed to a system call.
    has: (_, text) => /(^|[\s`])--[a-z][\w-]+|\b[A-Z]{2,}_[A-Z_]{2,}\b/.test(text),
  },
];

/** How much more a passage with the asked-for shape ranks. */
const SHAPE_BONUS = 1.3;

/** How a passage fits the shape a question asks for. */
export interface ShapeFit {
  /** A ranking factor: above 1 when the passage has the shape. */
  factor: number;
  /** The clauses (one bit each) that the shape itself answers. */
  covers: number;
}

/**
 * A question that names one tool ("docker 容器里开个 shell") is answered by that tool's command: a passage
 * whose command is another tool's (`kubectl exec`, which only says it works like `docker exec`) ranks lower.
 */
const TOOLS = ['docker', 'kubectl', 'kubeadm'];
const TOOL_NAMED = TOOLS.map((tool) => ({ tool, named: new RegExp(`\\b${tool}\\b`, 'i') }));
const OTHER_TOOL_FACTOR = 0.8;

const NO_SHAPE: ShapeFit = { factor: 1, covers: 0 };

/** Reads which shapes and tool `question` asks for, once, and returns how each passage fits them. */
export function shapeFit(question: string, clauses: readonly Clause[]): (passage: Passage) => ShapeFit {
  const wanted = SHAPES.filter((s) => s.asks.test(question)).map((shape) => ({
    shape,
    covers: clauses.reduce((mask, c, bit) => (shape.names?.test(c.text) ? mask | (1 << bit) : mask), 0),
  }));
  const named = TOOL_NAMED.filter(({ named }) => named.test(question));
  const tool = named.length === 1 ? named[0]!.tool : undefined;
  if (wanted.length === 0 && !tool) return () => NO_SHAPE;
  return (passage) => {
    const text = passageText(passage);
    const command = passage.kind === 'code' ? text.trim().split(/\s/)[0] : /`(\w+)\s[^`]*`/.exec(text)?.[1];
    const toolFactor = tool && command && command !== tool && TOOLS.includes(command) ? OTHER_TOOL_FACTOR : 1;
    const fitting = wanted.filter(({ shape }) => shape.has(passage, text));
    if (fitting.length === 0) return { factor: toolFactor, covers: 0 };
    return { factor: SHAPE_BONUS * toolFactor, covers: fitting.reduce((mask, w) => mask | w.covers, 0) };
  };
}
