/**
 * Writes knowledge/glossary/kubernetes-docs.yaml: zh<->en term pairs from the Kubernetes documentation, read
 * from the glossary entries and the page titles that exist in both its English and Chinese trees. The official
 * translators chose these names, so they are how Chinese notes and questions will say the English terms.
 * The docs are CC BY 4.0 (The Kubernetes Authors): only terms are taken, never a sentence, and the file
 * credits them. Usage: `npm run glossary-from-docs [-- --corpora DIR]`, DIR holding k8s-docs-en.tar.gz and
 * k8s-docs-zh-cn.tar.gz (default ../shared/corpora).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { z } from 'zod';
import { packageRoot, shippedGlossaryDir } from '../src/paths.js';
import { tokenizeQuery } from '../src/search/tokenize.js';

const SOURCE =
  'Term pairs from the Kubernetes documentation (kubernetes/website, glossary and page titles), The Kubernetes Authors, CC BY 4.0: https://creativecommons.org/licenses/by/4.0/';
const OUTPUT = join(shippedGlossaryDir, 'kubernetes-docs.yaml');
/** Page sections about Kubernetes itself; contribute/ and home/ are about writing the website. */
const PAGE_SECTIONS = ['concepts', 'tasks', 'reference', 'setup', 'tutorials'];
const GLOSSARY_DIR = 'reference/glossary';

const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
const HAN_ALL = new RegExp(HAN.source, 'g');

/**
 * Single English words that name everyday things or the website's own structure: as glossary terms they
 * would make any question using them look like it is about Kubernetes.
 */
const GENERIC_EN = new Set(
  `name member application developer contributor approver reviewer duration quantity extension upstream downstream
   watch glossary documentation concept overview task tutorial reference example security tool compute owner`.split(/\s+/),
);
/** Words that mark a page as documentation about a topic (a guide, a checklist) rather than the topic's name. */
const DOC_WORDS = new Set(
  `tips guide guidelines walkthrough basics checklist practices reference quickstart introduction overview concepts
   details information requirements considerations support tools definitions parameters documentation tracker`.split(/\s+/),
);
/** A title led by one of these is a task ("Configure Quality of Service"), not a term. */
const LEADING_VERBS = new Set(
  `about access accessing adding adopting advertise allocate apply assign assigning attach authenticating autoscale
   building change changing check configure configuring connect connecting control controlling create creating
   customizing debug declare decrypt define delete deploy deploying determine developing distribute enable
   encrypting enforce enforcing explore expose exposing extend extending find force generate generating get getting handling
   inject install installing learn limit manage managing mapping migrate migrating monitor operating overprovision perform
   performing pull reconfiguring reserve resize restrict run running safely scale schedule securing set share
   specifying switching translate troubleshooting update updating upgrade upgrading use using validate verify`.split(/\s+/),
);
/** Function words make a title a phrase about something ("Proxies in Kubernetes") instead of its name. */
const FUNCTION_WORDS = new Set('a an the in on of for with to from by via using between your what how is are or'.split(' '));
/** The same marks in Chinese: possessives, question words, "in ... on", and leading verbs of task titles. */
const ZH_PHRASE = /的|如何|怎样|怎么|在.*上|[：，。？！]|\s-\s/;
/**
 * A one-character preposition leads a task only before a name ("为 Pod 配置"; 用户 is a noun), and a verb only
 * when something follows it (调试 alone is "Debugging"). Verbs that also start nouns (定制资源, 验证准入策略,
 * 声明式) are left to the English side.
 */
const ZH_LEADING_VERBS =
  /^(?:[为将给对从用以在向带同仅](?=\s|[A-Za-z])|(?:通过|使用|利用|管理|配置|安装|运行|调试|创建|部署|访问|升级|迁移|更改|改变|启用|禁用|扩展|定义|设置|添加|开发|生成|更新|提交|查看|撰写|发起|参与|评阅|评审|提出|学习|了解|公开|执行|探索|列出|获取|确定|解密|加密|保护|切换|清空|强制|删除|扩缩|调整|拉取|分配|分派|指派|实施|检查|查明|排查|引导|重新|操作|手动|颁发|构建|关于|自动扩缩|追踪|本地化|贡献)(?=.))/;

type Fields = Record<string, unknown>;

/** A pair of names for one idea: the Chinese ones and the English ones. */
interface Pair {
  zh: string[];
  en: string[];
}

function unpack(tarball: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'k8s-docs-'));
  execFileSync('tar', ['-xzf', tarball, '-C', dir]);
  return dir;
}

/** Hugo front matter; some files repeat a key (sidecar-container.md has two full_link), which Hugo allows. */
function frontMatter(file: string): Fields | undefined {
  const match = readFileSync(file, 'utf8').match(/^---\r?\n([\s\S]*?)\r?\n---/);
  if (!match) return undefined;
  const fields: unknown = parse(match[1]!, { uniqueKeys: false });
  return fields && typeof fields === 'object' ? (fields as Fields) : undefined;
}

const strings = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());

/** "容器存储接口（Container Storage Interface；CSI）" -> the text outside the brackets and each name inside. */
function splitBrackets(title: string): { outside: string; inside: string[] } {
  const inside: string[] = [];
  const outside = title.replace(/\s*[（(]([^（）()]*)[）)]\s*/g, (_, names: string) => {
    inside.push(...names.split(/[；;，,、]/).map((n) => n.trim()).filter(Boolean));
    return ' ';
  });
  return { outside: outside.replace(/\s+/g, ' ').trim(), inside };
}

/**
 * Whether one name abbreviates the other: the initials of the long one's words appear in order in the short
 * one (CSI, cgroup for "control group", kOps for "Kubernetes Operations"). Anything else in brackets is a
 * qualifier ("(disambiguation)", "(v1)", "(kubectl)") and not another name.
 */
function abbreviates(short: string, long: string): boolean {
  const words = long.split(/[\s-]+/).filter(Boolean);
  if (/\s/.test(short) || words.length < 2) return false;
  let rest = short.toLowerCase();
  for (const [i, word] of words.entries()) {
    const at = rest.indexOf(word[0]!.toLowerCase());
    if (at < 0 || (i === 0 && at !== 0)) return false;
    rest = rest.slice(at + 1);
  }
  return true;
}

const isAlias = (a: string, b: string) => abbreviates(a, b) || abbreviates(b, a);

/** English names of a title and its akas, and the bracketed qualifiers that must not become names. */
function englishNames(titles: string[]): { names: string[]; qualifiers: Set<string> } {
  const names: string[] = [];
  const qualifiers = new Set<string>();
  for (const title of titles) {
    const { outside, inside } = splitBrackets(title);
    if (outside) names.push(outside);
    for (const name of inside) {
      if (isAlias(name, outside)) names.push(name);
      else qualifiers.add(name.toLowerCase());
    }
  }
  return { names, qualifiers };
}

/**
 * Chinese names of a title and its akas, plus the English glosses the translators put in brackets ("租约（Lease）").
 * Bracketed Chinese counts only when the name outside is English ("API Group (API 组)"); after a Chinese
 * name it qualifies it ("资源（基础设施）").
 */
function chineseNames(titles: string[], qualifiers: Set<string>): Pair {
  const pair: Pair = { zh: [], en: [] };
  for (const title of titles) {
    const { outside, inside } = splitBrackets(title);
    const outsideIsChinese = HAN.test(outside);
    if (outsideIsChinese) pair.zh.push(outside);
    else if (outside) pair.en.push(outside);
    for (const name of inside) {
      if (HAN.test(name)) {
        if (!outsideIsChinese) pair.zh.push(name);
      } else if (!qualifiers.has(name.toLowerCase())) pair.en.push(name);
    }
  }
  return pair;
}

/** The names a zh title and an en title (each with its akas) give for the same page. */
function pairTitles(zhTitles: string[], enTitles: string[]): Pair {
  const english = englishNames(enTitles);
  const chinese = chineseNames(zhTitles, english.qualifiers);
  return { zh: chinese.zh, en: [...english.names, ...chinese.en] };
}

function glossaryPairs(en: string, zh: string): Pair[] {
  const pairs: Pair[] = [];
  for (const file of readdirSync(join(en, GLOSSARY_DIR)).filter((f) => f.endsWith('.md')).sort()) {
    const zhFile = join(zh, GLOSSARY_DIR, file);
    if (!existsSync(zhFile)) continue;
    const enFields = frontMatter(join(en, GLOSSARY_DIR, file));
    const zhFields = frontMatter(zhFile);
    if (!enFields || !zhFields) continue;
    pairs.push(pairTitles([...strings(zhFields.title), ...strings(zhFields.aka)], [...strings(enFields.title), ...strings(enFields.aka)]));
  }
  return pairs;
}

/** Splits at separators outside brackets: "（Working Group，WG）" is one name. */
function splitOutsideBrackets(text: string, separator: RegExp): string[] {
  const masked = text.replace(/[（(][^（）()]*[）)]/g, (m) => '\u0000'.repeat(m.length));
  const parts: string[] = [];
  let start = 0;
  for (const match of masked.matchAll(separator)) {
    parts.push(text.slice(start, match.index));
    start = match.index + match[0].length;
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

/** Titles that name one thing although they contain "and": the feature is called that. */
const ONE_NAME = new Set(['API Priority and Fairness']);

/**
 * "Taints and Tolerations" / "污点和容忍度" name two ideas; paired part by part they give two terms. Titles
 * whose parts do not line up are phrases, not lists of names, and give nothing.
 */
function splitCoordinated(en: string, zh: string): [string, string][] {
  if (ONE_NAME.has(en)) return [[en, zh]];
  const enParts = splitOutsideBrackets(en, /\s*,\s*(?:and\s+)?|\s+(?:and|&)\s+/gi);
  const zhParts = splitOutsideBrackets(zh, /\s*(?:[、，,&]|和|与|及)\s*/g);
  if (enParts.length !== zhParts.length) return [];
  return enParts.map((part, i) => [part, zhParts[i]!]);
}

const words = (en: string) => en.split(/\s+/).filter(Boolean);
const singular = (word: string) => word.toLowerCase().replace(/(?<=[a-z]{2})s$/, '');

function isEnglishTitleTerm(en: string): boolean {
  const list = words(en).map((w) => w.toLowerCase());
  if (list.length === 0 || list.length > 4 || /[:?!"]|\s-\s/.test(en)) return false;
  return !LEADING_VERBS.has(list[0]!) && !list.some((w) => FUNCTION_WORDS.has(w) || DOC_WORDS.has(w) || DOC_WORDS.has(singular(w)));
}

function isChineseTitleTerm(zh: string): boolean {
  const han = zh.match(HAN_ALL)?.length ?? 0;
  return han >= 2 && han <= 10 && !ZH_PHRASE.test(zh) && !ZH_LEADING_VERBS.test(zh);
}

/** A translation keeps the English words it does not translate; one that brings in others is not this title. */
function latinWordsMatch(zh: string, en: string): boolean {
  const enWords = new Set(en.split(/[\s/]+/).map(singular));
  return (zh.match(/[A-Za-z][\w.-]*/g) ?? []).every((w) => enWords.has(singular(w)));
}

/**
 * The term pairs of one page title, or none when any part is not a term: a part that is a phrase ("Resource
 * Management for Pods") shows the parts were not lined up name by name.
 */
function titlePairs(enTitle: string, zhTitle: string): Pair[] {
  const pairs: Pair[] = [];
  for (const [enPart, zhPart] of splitCoordinated(enTitle, zhTitle)) {
    const pair = pairTitles([zhPart], [enPart]);
    const en = pair.en.filter(isEnglishTitleTerm);
    const zh = pair.zh.filter((z) => isChineseTitleTerm(z) && en.some((e) => latinWordsMatch(z, e)));
    if (zh.length === 0 || en.length === 0) return [];
    pairs.push({ zh, en });
  }
  return pairs;
}

function pagePairs(en: string, zh: string): Pair[] {
  const pairs: Pair[] = [];
  const files = readdirSync(en, { recursive: true, encoding: 'utf8' })
    .map((f) => f.split('\\').join('/'))
    .filter((f) => f.endsWith('.md') && PAGE_SECTIONS.includes(f.split('/')[0]!) && !f.startsWith(`${GLOSSARY_DIR}/`))
    .sort();
  for (const file of files) {
    if (!existsSync(join(zh, file))) continue;
    const enFields = frontMatter(join(en, file));
    const zhFields = frontMatter(join(zh, file));
    if (!enFields || !zhFields) continue;
    for (const key of ['title', 'linkTitle']) {
      const [enTitle] = strings(enFields[key]);
      const [zhTitle] = strings(zhFields[key]);
      if (enTitle && zhTitle) pairs.push(...titlePairs(enTitle, zhTitle));
    }
  }
  return pairs;
}

/** Plain words the shipped everyday glossary already lists: as Kubernetes terms they would stop being plain. */
function everydayWords(): Set<string> {
  const file = join(shippedGlossaryDir, 'everyday.yaml');
  if (!existsSync(file)) return new Set();
  const groups = (parse(readFileSync(file, 'utf8')) as { groups?: unknown[] } | null)?.groups ?? [];
  return new Set(groups.flatMap((g) => strings(g)).map((w) => w.toLowerCase()));
}

/**
 * A term the query builder could never use is left out: one that is only stop words, or one whose other words
 * are all stop words ("working group" reads as "group", "Kubernetes 问题" as "kubernetes"): it would stand
 * for that one word in every question.
 */
function matchable(term: string): boolean {
  const tokens = tokenizeQuery(term).join(' ');
  if (tokens === '') return false;
  const parts = term.split(/\s+|(?<=\p{Script=Han})(?=[^\p{Script=Han}])|(?<=[^\p{Script=Han}])(?=\p{Script=Han})/u).filter((p) => p.trim());
  return parts.length < 2 || !parts.some((part) => tokenizeQuery(part).join(' ') === tokens);
}

function keepTerm(term: string, everyday: Set<string>): boolean {
  if (everyday.has(term.toLowerCase()) || !matchable(term)) return false;
  return !HAN.test(term) || (term.match(HAN_ALL)?.length ?? 0) > 1 || /[A-Za-z]/.test(term);
}

const isGeneric = (en: string) => words(en).length === 1 && (GENERIC_EN.has(en.toLowerCase()) || GENERIC_EN.has(singular(en)));

/**
 * Pairs that share a term are one idea: merged, Chinese first, each term once (case aside). Terms are compared
 * as the bot reads them, by their query tokens, so "user namespace" meets "User Namespaces".
 */
function mergeGroups(pairs: Pair[]): string[][] {
  const parent = pairs.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i]!)));
  const owner = new Map<string, number>();
  pairs.forEach((pair, i) => {
    for (const term of [...pair.zh, ...pair.en]) {
      const key = tokenizeQuery(term).join('\u0001');
      const seen = owner.get(key);
      if (seen === undefined) owner.set(key, i);
      else parent[root(i)] = root(seen);
    }
  });
  const merged = new Map<number, Pair>();
  pairs.forEach((pair, i) => {
    const group = merged.get(root(i)) ?? { zh: [], en: [] };
    group.zh.push(...pair.zh);
    group.en.push(...pair.en);
    merged.set(root(i), group);
  });
  const once = (terms: string[]) => terms.filter((t, i) => terms.findIndex((u) => u.toLowerCase() === t.toLowerCase()) === i);
  return [...merged.values()].map((g) => [...once(g.zh), ...once(g.en)]);
}

/** Only terms are taken from the corpora, so every pair needs a Chinese and an English name to be a pair at all. */
function buildGroups(pairs: Pair[], everyday: Set<string>): string[][] {
  const kept = pairs
    // An everyday English word makes the whole pair everyday, its translation and spelling variants too ("Uptream").
    .filter((p) => !p.en.some(isGeneric))
    .map((p) => ({ zh: p.zh.filter((t) => HAN.test(t) && keepTerm(t, everyday)), en: p.en.filter((t) => !HAN.test(t) && keepTerm(t, everyday)) }))
    .filter((p) => p.zh.length > 0 && p.en.length > 0);
  const firstEnglish = (g: string[]) => g.find((t) => !HAN.test(t)) ?? '';
  return mergeGroups(kept).sort((a, b) => firstEnglish(a).localeCompare(firstEnglish(b), 'en', { sensitivity: 'base' }));
}

/** Plain YAML where it reads back unchanged inside a flow list, double quotes otherwise. */
function flowScalar(term: string): string {
  try {
    const back: unknown = parse(`[${term}]`);
    if (Array.isArray(back) && back.length === 1 && back[0] === term) return term;
  } catch {
    // Not valid as a plain scalar: quoted below.
  }
  return JSON.stringify(term);
}

const FileSchema = z.object({ source: z.string(), groups: z.array(z.array(z.string().trim().min(1)).min(2)) });

function render(groups: string[][]): string {
  const lines = [
    '# zh<->en Kubernetes term pairs from the Kubernetes documentation: its glossary and the titles of pages in both languages.',
    '# Generated by scripts/glossary-from-docs.ts (`npm run glossary-from-docs`); edit the script, not this file.',
    `source: ${JSON.stringify(SOURCE)}`,
    'groups:',
    ...groups.map((g) => `  - [${g.map(flowScalar).join(', ')}]`),
  ];
  const text = `${lines.join('\n')}\n`;
  // The file must read back as exactly these groups, or a quoting mistake would change a term silently.
  const back = FileSchema.parse(parse(text));
  if (JSON.stringify(back.groups) !== JSON.stringify(groups)) throw new Error('the YAML does not read back as the groups written');
  return text;
}

function main(): void {
  const { values } = parseArgs({ options: { corpora: { type: 'string', default: join(packageRoot, '..', 'shared', 'corpora') } } });
  const corpora = resolve(values.corpora!);
  const unpacked: string[] = [];
  try {
    const [en, zh] = ['k8s-docs-en.tar.gz', 'k8s-docs-zh-cn.tar.gz'].map((name) => {
      unpacked.push(unpack(join(corpora, name)));
      return unpacked.at(-1)!;
    }) as [string, string];
    const pairs = [...glossaryPairs(en, zh), ...pagePairs(en, zh)];
    const groups = buildGroups(pairs, everydayWords());
    writeFileSync(OUTPUT, render(groups));
    console.log(`wrote ${OUTPUT}: ${groups.length} groups from ${pairs.length} title pairs`);
  } finally {
    for (const dir of unpacked) rmSync(dir, { recursive: true, force: true });
  }
}

main();
