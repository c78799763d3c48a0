/**
 * Turns text into search terms, the same way for notes and questions, in Chinese, English or both mixed.
 *
 * - Latin words are lower-cased and plural-stripped. Compound words (`--to-revision`, `kube-apiserver`,
 *   `/etc/kubernetes/pki`, `imagePullPolicy`) are kept whole and also split into their parts, so both an exact
 *   identifier and its plain words find the passage.
 * - Chinese has no spaces, so a run of Han characters becomes overlapping character bigrams ("默认端口" ->
 *   默认, 认端, 端口): robust for any vocabulary, including terms no dictionary knows. Questions are first cut
 *   into words by `Intl.Segmenter` so that function words (的, 是, 怎么, 如何...) are dropped and bigrams never
 *   straddle them; notes skip that step because segmenting megabytes of documentation is too slow and the
 *   extra bigrams there only cost a little index space.
 */

const HAN_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/y;
const LATIN_WORD = /[a-z0-9_\u00c0-\u024f]+(?:[-./:@=][a-z0-9_\u00c0-\u024f]+)*/iy;
const COMPOUND_SPLIT = /[-./:@=_]+/;
const CAMEL_CASE = /[a-z][A-Z]|[A-Z]{2}[a-z]/;
const CAMEL_PARTS = /[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+/g;
const PLURAL_ACRONYM = /^[A-Z]{2,}s$/;

export const ENGLISH_STOP: ReadonlySet<string> = new Set(
  `a an the and or but if then than so of to in on at by for from with without into onto over under about as is are was were be been being
   am do does did done doing have has had having i me my we our us you your he she it its they them their this that these those there here
   what which who whom whose when where why how can could should would will shall may might must need want wanna please tell show explain
   know get got let lets just also any some all each every other another such very more most much many few no nor not only own same too
   up down out off again further once s t don doesn didn isn aren wasn weren hasn haven hadn won wouldn shouldn couldn ok okay hi hello hey
   thanks thank way ways thing things something anything use used using does mean means meaning
   actually really exactly specifically basically just still now even ever never always already yet maybe perhaps probably quite rather
   kind sort stuff bit lot lots like eh um hmm yeah yes nope guy guys team someone somebody anyone everyone people person
   think thought guess bother wonder wondering try trying tried keep keeps kept happen happens happened seem seems look looks looking
   see saw seen say says said talk talks talking tell tells told ask asks asked call called calls go goes going gone come comes came
   make makes made take takes took give gives gave put puts find finds found work works worked working
   wrong right good bad best better nice new old real whole short long quick quickly simple simply easy easily short
   one two first last next before after while during since until within across between instead besides beside else itself himself
   these days day today nowadays currently again around behind anymore either neither both whether per via upon
   thru tho pls plz btw gonna gotta lemme ya u ur im dont cant doesnt isnt whats hows wheres whys
   mention mentions mentioned apart`
    .split(/\s+/)
    .filter(Boolean),
);

// Function words and question words that carry no topic; the segmenter yields them as separate words.
const CHINESE_STOP = new Set(
  `的 了 吗 呢 吧 啊 呀 嘛 么 是 在 和 与 及 或 或者 还是 就 都 也 又 还 把 被 将 给 对 对于 从 到 向 为 为了 以 用 由 让 使 而 且 并 但 但是
   如果 那么 这 那 这个 那个 这些 那些 这里 那里 这样 那样 怎么 怎样 怎么样 如何 什么 啥 哪 哪个 哪些 哪里 为什么 为啥 多少 几 几个 吗？
   我 我们 你 你们 他 她 它 他们 它们 自己 咱们 请 请问 一下 一个 一种 一些 有 有没有 没有 能 能不能 可以 可不可以 会 要 需要 想 想要 应该
   该 得 地 着 过 之 其 所 所以 因为 然后 之后 以后 时候 的话 呗 哦 嗯 知道 告诉 说 说说 讲 讲讲 问 问题 下 上 里 中 个 些 其实 到底 究竟 通过
   到底是 什么东西 东西 是个 的是 叫什么 是什么 有哪些 哪一步 干嘛 干什么 用来 一般 现在 开个 看看 看 起来 出来 好了 想 想先 叫 拿 弄 搞 做
   能 那么 多少个 一下子 时 当 后 前 啥的 之类 等等 比如 例如 还能 还是说 是否 是不是 对吗 对不对 么 哪儿 咋 咋办 怎么办 怎么弄 怎么搞
   谁 几种 哪几个 哪几种 分别 各自 一层 一步 这一步 具体 实际上 实际 真的 真 吧 好 行 行不行 可能 应当 得到 拿到
   比较 非常 特别 有点 有些 大概 大约 最好 尤其 挺 很 太 经常 总是 已经 马上 立刻 稍微 相当 常常`
    .split(/\s+/)
    .filter(Boolean),
);

let zhSegmenter: Intl.Segmenter | undefined;
/** Made on first use: making one loads ICU's Chinese word data (about 15 ms), which an English question never needs. */
const segmenter = (): Intl.Segmenter => (zhSegmenter ??= new Intl.Segmenter('zh', { granularity: 'word' }));

/** Words that end in "s" without being plurals. */
const NOT_PLURAL = new Set(['kubernetes', 'always', 'alias', 'ingress', 'https', 'dns', 'aws', 'bias', 'canvas', 'kops']);

/** Plural endings only: aggressive stemming merges Kubernetes terms that must stay apart. */
export function stem(word: string): string {
  if (word.length <= 3 || !/^[a-z]+$/.test(word) || NOT_PLURAL.has(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses') || word.endsWith('xes') || word.endsWith('ches') || word.endsWith('shes')) return word.slice(0, -2);
  if (word.endsWith('s') && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

function pushLatin(original: string, out: string[], stop: ReadonlySet<string>): void {
  const lower = original.toLowerCase();
  const isCompound = COMPOUND_SPLIT.test(lower);
  if (!isCompound) {
    const word = stem(lower);
    if (!stop.has(lower) && !stop.has(word)) out.push(word);
  } else {
    out.push(lower.replace(/^[-./:@=_]+|[-./:@=_]+$/g, ''));
  }
  const parts = isCompound ? original.split(COMPOUND_SPLIT).filter(Boolean) : [original];
  for (const part of parts) {
    // "GPUs" and "PVCs" are plural acronyms, not camelCase.
    const pieces = CAMEL_CASE.test(part) && !PLURAL_ACRONYM.test(part) ? [part, ...part.match(CAMEL_PARTS)!] : [part];
    for (const [i, piece] of pieces.entries()) {
      if (!isCompound && i === 0) continue;
      const p = piece.toLowerCase();
      // Lone letters and digits of versions and flags (v1.2.3, -n) only add noise.
      if (p.length > 1 && !stop.has(p) && !stop.has(stem(p))) out.push(stem(p));
    }
  }
}

function pushBigrams(run: string, out: string[]): void {
  if (run.length === 1) {
    out.push(run);
    return;
  }
  for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
}

const EDGE_STOP = new Set([...'的了吗呢啊吧是个把在都也就还']);

/** The segmenter glues particles onto words ("到底是", "多少个"); peel them off both ends. */
function trimStopEdges(segment: string): string {
  let start = 0;
  let end = segment.length;
  while (end - start > 1 && EDGE_STOP.has(segment[start]!)) start++;
  while (end - start > 1 && EDGE_STOP.has(segment[end - 1]!)) end--;
  return segment.slice(start, end);
}

/**
 * Han text of a question, word by word: a word the segmenter knows gives its own bigrams; single characters
 * it could not place (端|口, 回|滚) are joined with their neighbours first. Bigrams never span two known
 * words, so a question produces no accidental pairs that no note could contain.
 */
function pushQueryHan(run: string, out: string[]): void {
  let singles = '';
  const flushSingles = () => {
    if (singles) pushBigrams(singles, out);
    singles = '';
  };
  for (const { segment: raw } of segmenter().segment(run)) {
    const segment = trimStopEdges(raw);
    if (!segment || CHINESE_STOP.has(segment)) flushSingles();
    else if (segment.length === 1) singles += segment;
    else {
      flushSingles();
      pushBigrams(segment, out);
    }
  }
  flushSingles();
}

/** The two-character-or-longer Chinese words of a text as the segmenter cuts them, particles peeled off. */
export function chineseWords(text: string): Set<string> {
  const words = new Set<string>();
  for (const { segment } of segmenter().segment(text.normalize('NFKC'))) {
    const word = trimStopEdges(segment);
    if (word.length >= 2 && /^[\u3400-\u9fff\uf900-\ufaff]+$/.test(word) && !CHINESE_STOP.has(word)) words.add(word);
  }
  return words;
}

interface ScanOptions {
  /** Cut Han text into words first and drop function words (questions). */
  questionHan: boolean;
  /** English words to drop. */
  stop: ReadonlySet<string>;
}

function scan(text: string, { questionHan, stop }: ScanOptions): string[] {
  // "5,000" and "5000" must meet; the display text keeps its commas.
  const source = text.normalize('NFKC').replace(/(?<=\d),(?=\d{3}(?!\d))/g, '');
  const out: string[] = [];
  let i = 0;
  while (i < source.length) {
    HAN_RUN.lastIndex = i;
    const han = HAN_RUN.exec(source);
    if (han) {
      if (questionHan) pushQueryHan(han[0], out);
      else pushBigrams(han[0], out);
      i = HAN_RUN.lastIndex;
      continue;
    }
    LATIN_WORD.lastIndex = i;
    const word = LATIN_WORD.exec(source);
    if (word) {
      pushLatin(word[0], out, stop);
      i = LATIN_WORD.lastIndex;
      continue;
    }
    i++;
  }
  return out;
}

/** Terms of a note's text, in order, repeats kept (they are term frequencies). */
export const tokenize = (text: string): string[] => scan(text, { questionHan: false, stop: ENGLISH_STOP });

/** Terms of a question: like {@link tokenize}, but with Chinese function words removed first. */
export const tokenizeQuery = (text: string): string[] => scan(text, { questionHan: true, stop: ENGLISH_STOP });

const NO_STOP = new Set<string>();

/**
 * Terms of a short command text (a command path, an intent, a lookup query): every English word counts,
 * because there "get", "run", "can i" or "use" name the command rather than pad the sentence.
 */
export const tokenizeCommandText = (text: string): string[] => scan(text, { questionHan: true, stop: NO_STOP });
