import { describe, expect, it } from 'vitest';
import { parseNote } from '../../src/knowledge/load.js';
import { parseMarkdown, type ParseOptions } from '../../src/knowledge/markdown.js';
import type { Passage } from '../../src/knowledge/note.js';

const md = (...lines: string[]) => lines.join('\n');
const passagesOf = (body: string, options?: ParseOptions) => parseMarkdown(body, 1, options).sections.flatMap((s) => s.passages);
const headingsOf = (body: string, options?: ParseOptions) => parseMarkdown(body, 1, options).sections.map((s) => s.headings);
const brief = (passages: Passage[]) =>
  passages.map((p) => (p.kind === 'code' ? [p.kind, p.line, p.lang, p.code] : p.kind === 'table-row' ? [p.kind, p.line, p.cells] : [p.kind, p.line, p.text]));

/** Markup a reader of an answer must never see. */
const JUNK = [/\{\{|\}\}/, /\{%|%\}/, /\]\((?!https?:\/\/)/, /(^|\s)\(\s*\)/, /\S {2,}\S/, /<\/?[a-z][^>]*>/i, /:::/, /!!!/, /\?\?\?/, /\[![a-z]+\]/i, /\[\[|\]\]/, /&[a-z]+;/i];
function expectNoJunk(passages: Passage[]): void {
  const texts = passages.flatMap((p) => (p.kind === 'code' ? [] : p.kind === 'table-row' ? [...p.header, ...p.cells] : [p.text]));
  for (const text of texts) for (const junk of JUNK) expect(text, `${junk} in "${text}"`).not.toMatch(junk);
}

describe('parseMarkdown: Hugo shortcodes', () => {
  it('shows a glossary tooltip as its text, or as its term id with spaces for dashes', () => {
    const passages = passagesOf(
      md('Each {{< glossary_tooltip text="cgroup" term_id="cgroup" >}} caps what a', '{{< glossary_tooltip', 'term_id="container-runtime" >}} may use.', '', 'Next line.'),
    );
    expect(brief(passages)).toEqual([
      ['paragraph', 1, 'Each cgroup caps what a container runtime may use.'],
      ['paragraph', 5, 'Next line.'],
    ]);
  });

  it('reads note, caution and warning bodies as ordinary text and drops their tags', () => {
    const passages = passagesOf(
      md('Before the note.', '{{< note >}}', 'Drain the node first.', '{{< /note >}}', '{{% caution %}}', '- Never skip a minor version.', '{{% /caution %}}', '', '{{< warning >}}Back up etcd.{{< /warning >}}'),
    );
    expect(brief(passages)).toEqual([
      ['paragraph', 1, 'Before the note.'],
      ['paragraph', 3, 'Drain the node first.'],
      ['list-item', 6, 'Never skip a minor version.'],
      ['paragraph', 9, 'Back up etcd.'],
    ]);
  });

  it('turns tab bodies with a codelang, and highlight bodies, into code blocks even when lines start with #', () => {
    const body = md(
      '## Install',
      '{{< tabs name="install" >}}',
      '{{< tab name="Linux" codelang="bash" >}}',
      '# fetch the binary',
      'curl -LO https://example.com/kubectl',
      '{{< /tab >}}',
      '{{< tab name="One line" codelang="shell" >}}kubectl version --client{{< /tab >}}',
      '{{< /tabs >}}',
      '',
      '{{< highlight yaml "linenos=false,hl_lines=2" >}}',
      '# a comment, not a heading',
      'kind: Pod',
      '{{< /highlight >}}',
    );
    expect(headingsOf(body)).toEqual([['Install']]);
    expect(brief(passagesOf(body))).toEqual([
      ['code', 3, 'bash', '# fetch the binary\ncurl -LO https://example.com/kubectl'],
      ['code', 7, 'shell', 'kubectl version --client'],
      ['code', 10, 'yaml', '# a comment, not a heading\nkind: Pod'],
    ]);
  });

  it('makes an inline highlight an inline code span', () => {
    const passages = passagesOf('Watch {{< highlight promql "hl_inline=true" >}}rate(requests_total[5m]){{< /highlight >}} for spikes.');
    expect(brief(passages)).toEqual([['paragraph', 1, 'Watch `rate(requests_total[5m])` for spikes.']]);
  });

  it('drops tabs and markdown tab wrappers and parses their bodies as markdown', () => {
    const passages = passagesOf(
      md('{{< tabs name="os" >}}', '{{% tab name="Ubuntu" %}}', '1. Install the package.', '2. Hold its version.', '{{% /tab %}}', '{{% tab name="Fedora" %}}', 'Use `dnf` instead.', '{{% /tab %}}', '{{< /tabs >}}'),
    );
    expect(brief(passages)).toEqual([
      ['list-item', 3, 'Install the package.'],
      ['list-item', 4, 'Hold its version.'],
      ['paragraph', 7, 'Use `dnf` instead.'],
    ]);
  });

  it('states a feature state as the version and stage it shows', () => {
    const passages = passagesOf(md('{{< feature-state for_k8s_version="v1.29" state="beta" >}}', '', '{{< feature-state state="stable" for_k8s_version="1.8" >}}'));
    expect(brief(passages)).toEqual([
      ['paragraph', 1, 'Kubernetes v1.29 [beta]'],
      ['paragraph', 3, 'Kubernetes v1.8 [stable]'],
    ]);
  });

  it('names heading shortcodes in the note language', () => {
    const body = md('## {{% heading "prerequisites" %}}', 'A cluster.', '## {{% heading "whatsnext" %}}', 'More.', '## {{% heading "objectives" %}}', 'Goals.', '## {{% heading "cleanup" %}}', 'Tidy up.');
    expect(headingsOf(body)).toEqual([['Before you begin'], ["What's next"], ['Objectives'], ['Cleaning up']]);
    expect(headingsOf(body, { lang: 'zh' })).toEqual([['准备开始'], ['接下来'], ['教程目标'], ['清理现场']]);
  });

  it('shows a figure as its caption, or its alt text without one', () => {
    const passages = passagesOf(md('{{< figure src="/images/flow.svg" alt="Boxes and arrows" caption="How a request reaches a Pod" >}}', '', '{{< figure src="/images/x.png" alt="Three nodes in a ring" >}}'));
    expect(brief(passages)).toEqual([
      ['paragraph', 1, 'How a request reaches a Pod'],
      ['paragraph', 3, 'Three nodes in a ring'],
    ]);
  });

  it('drops shortcodes that show nothing here, with comment and mermaid bodies, leaving no gaps', () => {
    const body = md(
      '{{< include "task-tutorial-prereqs.md" >}} {{< version-check >}}',
      '',
      'Apply the manifest ({{< param "version" >}}) with kubectl v{{< skew currentVersion >}}, then check it.',
      '{{< codenew file="pods/simple-pod.yaml" >}}',
      '',
      '{{< comment >}}',
      'A note to translators.',
      '{{< /comment >}}',
      '{{< mermaid >}}',
      'graph LR',
      '  client --> service',
      '{{< /mermaid >}}',
      'Last words.',
    );
    const passages = passagesOf(body);
    expect(brief(passages)).toEqual([
      ['paragraph', 3, 'Apply the manifest with kubectl, then check it.'],
      ['paragraph', 13, 'Last words.'],
    ]);
    expectNoJunk(passages);
  });

  it('shows an escaped shortcode as the tag it stands for', () => {
    expect(brief(passagesOf('```\n{{</* note */>}}\n```'))).toEqual([['code', 1, '', '{{< note >}}']]);
  });
});

describe('parseMarkdown: HTML', () => {
  it('drops HTML comments, keeping the lines after them where they were', () => {
    const passages = passagesOf(md('<!--', 'The English original.', '-->', '节点是运行 Pod 的机器。', '<!-- inline --> 另一段。'));
    expect(brief(passages)).toEqual([['paragraph', 4, '节点是运行 Pod 的机器。另一段。']]);
  });

  it('shows an image tag as its alt text, strips inline tags to their text and skips tag-only lines', () => {
    const passages = passagesOf(
      md('<div class="diagram">', '<img src="arch.svg" alt="Control plane and nodes">', '</div>', '', 'Use <code>kubectl</code> <b>only</b> via <a href="https://kubernetes.io">the docs</a>,<br>then rest &amp; relax.'),
    );
    expect(brief(passages)).toEqual([
      ['paragraph', 2, 'Control plane and nodes'],
      ['paragraph', 5, 'Use kubectl only via the docs, then rest & relax.'],
    ]);
  });

  it('keeps angle-bracket placeholders that are not HTML', () => {
    expect(brief(passagesOf('Run kubectl logs <pod-name> -c <container>.'))).toEqual([['paragraph', 1, 'Run kubectl logs <pod-name> -c <container>.']]);
  });
});

describe('parseMarkdown: admonitions and callouts', () => {
  it('reads an indented MkDocs admonition body as ordinary passages, and its own title as text', () => {
    const body = md(
      '!!! note "Drain before you upgrade"',
      '    Cordon the node, then drain it.',
      '',
      '    - Evicts the Pods',
      '',
      '    ```bash',
      '    # not a heading',
      '    kubectl drain node-1',
      '    ```',
      '',
      '??? tip',
      '    Use `--dry-run=client` first.',
      '',
      'Back at the top level.',
    );
    expect(headingsOf(body)).toEqual([[]]);
    expect(brief(passagesOf(body))).toEqual([
      ['paragraph', 1, 'Drain before you upgrade'],
      ['paragraph', 2, 'Cordon the node, then drain it.'],
      ['list-item', 4, 'Evicts the Pods'],
      ['code', 6, 'bash', '# not a heading\nkubectl drain node-1'],
      ['paragraph', 12, 'Use `--dry-run=client` first.'],
      ['paragraph', 14, 'Back at the top level.'],
    ]);
  });

  it('drops MkDocs content tab markers and reads their indented bodies', () => {
    const passages = passagesOf(md('=== "Linux"', '    Run the script.', '', '=== "macOS"', '    Use Homebrew.'));
    expect(brief(passages)).toEqual([
      ['paragraph', 2, 'Run the script.'],
      ['paragraph', 5, 'Use Homebrew.'],
    ]);
  });

  it('drops Docusaurus admonition fences and keeps their body and own title', () => {
    const passages = passagesOf(md(':::tip Roll back fast', 'Use **kubectl rollout undo**.', ':::', '', ':::warning[Data loss]', 'Deleting a PVC can delete its volume.', ':::', ':::note', 'Plain note.', ':::'));
    expect(brief(passages)).toEqual([
      ['paragraph', 1, 'Roll back fast'],
      ['paragraph', 2, 'Use **kubectl rollout undo**.'],
      ['paragraph', 5, 'Data loss'],
      ['paragraph', 6, 'Deleting a PVC can delete its volume.'],
      ['paragraph', 9, 'Plain note.'],
    ]);
  });

  it('drops GitHub alert and Obsidian callout markers and reads the quoted body', () => {
    const passages = passagesOf(md('> [!NOTE]', '> Pods are not repaired, they are replaced.', '> - by their controller', '', '> [!warning]- Never edit etcd by hand', '> It breaks the cluster state.'));
    expect(brief(passages)).toEqual([
      ['paragraph', 2, 'Pods are not repaired, they are replaced.'],
      ['list-item', 3, 'by their controller'],
      ['paragraph', 5, 'Never edit etcd by hand'],
      ['paragraph', 6, 'It breaks the cluster state.'],
    ]);
  });
});

describe('parseMarkdown: links', () => {
  it('shows Obsidian wiki links as their alias or page name and drops embeds', () => {
    const passages = passagesOf(md('See [[Pod lifecycle]], [[pods|the Pod note]] and [[services#Headless]].', '![[cluster.png]]'));
    expect(brief(passages)).toEqual([['paragraph', 1, 'See Pod lifecycle, the Pod note and services.']]);
  });

  it('keeps absolute links, shows the label of relative and anchor links, and resolves relative ones against the note url', () => {
    const body = 'Read [the API](https://kubernetes.io/docs/reference/ "API"), [Services](../service/), [above](#phases) and [the FAQ](<faq page.md>).';
    expect(brief(passagesOf(body))).toEqual([['paragraph', 1, 'Read [the API](https://kubernetes.io/docs/reference/), Services, above and the FAQ.']]);
    expect(brief(passagesOf(body, { url: 'https://notes.example.com/k8s/pods/' }))).toEqual([
      ['paragraph', 1, 'Read [the API](https://kubernetes.io/docs/reference/), [Services](https://notes.example.com/k8s/service/), above and [the FAQ](https://notes.example.com/k8s/pods/faq%20page.md).'],
    ]);
  });

  it('shows images as their alt text or nothing, reference links as their label and autolinks as the address', () => {
    const passages = passagesOf(
      md('![A Pod with two containers](pod.svg) ![](spacer.png) Read [the guide][guide] or [kubeadm] (see <https://kubernetes.io>).', 'Undefined ones stay: [beta] and name[suffix][+type].yaml.', '', '[guide]: https://example.com/guide', '[kubeadm]: ./kubeadm.md'),
    );
    expect(brief(passages)).toEqual([
      ['paragraph', 1, 'A Pod with two containers Read the guide or kubeadm (see https://kubernetes.io). Undefined ones stay: [beta] and name[suffix][+type].yaml.'],
    ]);
  });

  it('drops link markup from headings and table headers, but keeps absolute links in table cells', () => {
    const body = md('## Talk to the [API server](https://example.com/api) {#api}', '', '| [Port](#ports) | Used by |', '| --- | --- |', '| 6443 | [kube-apiserver](https://kubernetes.io/docs/) |');
    expect(headingsOf(body)).toEqual([['Talk to the API server']]);
    expect(passagesOf(body)).toEqual([{ kind: 'table-row', line: 5, header: ['Port', 'Used by'], cells: ['6443', '[kube-apiserver](https://kubernetes.io/docs/)'] }]);
  });
});

describe('parseMarkdown: GitHub-style structure', () => {
  it('reads setext headings and tables right after a paragraph, and skips thematic breaks and reference definitions', () => {
    const body = md(
      'Networking',
      '==========',
      '',
      'Every Pod gets its own address.',
      '',
      '---',
      '',
      'Services',
      '--------',
      'A stable name for a set of Pods.',
      '| Type | Reachable from |',
      '| :--- | - |',
      '| ClusterIP | inside the cluster |',
      '',
      '[svc]: https://kubernetes.io/docs/concepts/services-networking/service/',
    );
    expect(headingsOf(body)).toEqual([['Networking'], ['Networking', 'Services']]);
    expect(brief(passagesOf(body))).toEqual([
      ['paragraph', 4, 'Every Pod gets its own address.'],
      ['paragraph', 10, 'A stable name for a set of Pods.'],
      ['table-row', 13, ['ClusterIP', 'inside the cluster']],
    ]);
  });

  it('joins wrapped Chinese lines without a space, also after a link', () => {
    expect(brief(passagesOf(md('Pod 会经历[几个阶段](#phases)', '直到终止。')))).toEqual([['paragraph', 1, 'Pod 会经历几个阶段直到终止。']]);
  });
});

describe('parseNote on Kubernetes documentation markup', () => {
  it('reads a Chinese page with English originals in comments, shortcodes and tabs as clean passages', () => {
    const source = md(
      '---',
      'title: 滚动更新',
      'content_type: task',
      '---',
      '<!--',
      'title: Rolling updates',
      '-->',
      '',
      '<!-- overview -->',
      '本页说明如何对{{< glossary_tooltip text="Deployment" term_id="deployment" >}}',
      '做[滚动更新](/zh-cn/docs/concepts/workloads/controllers/deployment/)。',
      '',
      '## {{% heading "prerequisites" %}}',
      '',
      '{{< include "task-tutorial-prereqs.md" >}} {{< version-check >}}',
      '',
      '## 暂停更新   {#pause}',
      '',
      '{{< feature-state for_k8s_version="v1.30" state="stable" >}}',
      '',
      '<!--',
      'You can pause a rollout.',
      '-->',
      '你可以暂停更新，详见 {{< api-reference page="workload-resources/deployment-v1" >}}。',
      '',
      '{{< tabs name="pause" >}}',
      '{{< tab name="kubectl" codelang="shell" >}}',
      '# 暂停',
      'kubectl rollout pause deployment/web',
      '{{< /tab >}}',
      '{{< /tabs >}}',
      '',
      '{{< note >}}',
      '暂停期间的修改不会触发新的上线。',
      '{{< /note >}}',
      '',
      '| 命令 | 作用 |',
      '| --- | --- |',
      '| `kubectl rollout resume` | 恢复 {{< glossary_tooltip text="控制器" term_id="controller" >}} 的处理 |',
      '',
      '## {{% heading "whatsnext" %}}',
      '',
      '* 阅读 [Deployment](/zh-cn/docs/concepts/workloads/controllers/deployment/) 的概念。',
    );
    const { note, problems } = parseNote('zh/tasks/rolling-update.md', source);
    expect(problems).toEqual([]);
    expect(note!.sections.map((s) => s.headings)).toEqual([[], ['暂停更新'], ['接下来']]);
    const passages = note!.sections.flatMap((s) => s.passages);
    expect(brief(passages)).toEqual([
      ['paragraph', 10, '本页说明如何对Deployment 做滚动更新。'],
      ['paragraph', 19, 'Kubernetes v1.30 [stable]'],
      ['paragraph', 24, '你可以暂停更新，详见 Deployment。'],
      ['code', 27, 'shell', '# 暂停\nkubectl rollout pause deployment/web'],
      ['paragraph', 34, '暂停期间的修改不会触发新的上线。'],
      ['table-row', 39, ['`kubectl rollout resume`', '恢复 控制器 的处理']],
      ['list-item', 43, '阅读 Deployment 的概念。'],
    ]);
    expectNoJunk(passages);
  });

  it('reads an English task page with tabs inside a list, notes and relative links as clean passages', () => {
    const source = md(
      '---',
      'title: Install the tool',
      'url: https://docs.example.com/tasks/tools/install/',
      '---',
      'Install the tool on a {{< glossary_tooltip text="node" term_id="node" >}} before you',
      'join it ([how joining works](../join/)).',
      '',
      '1. Download the binary:',
      '',
      '   {{< tabs name="download" >}}',
      '   {{< tab name="x86-64" codelang="bash" >}}',
      '   curl -LO https://dl.example.com/amd64/tool',
      '   {{< /tab >}}',
      '   {{< /tabs >}}',
      '',
      '   {{< note >}}',
      '   Check the download against its checksum file.',
      '   {{< /note >}}',
      '',
      '1. Move it onto your `PATH`.',
      '',
      '{{< caution >}}',
      'Do not run the tool as root; see [Security](#security) and ![a lock](lock.png).',
      '{{< /caution >}}',
    );
    const { note } = parseNote('en/tasks/install.md', source);
    const passages = note!.sections.flatMap((s) => s.passages);
    expect(brief(passages)).toEqual([
      ['paragraph', 5, 'Install the tool on a node before you join it ([how joining works](https://docs.example.com/tasks/tools/join/)).'],
      ['list-item', 8, 'Download the binary:'],
      ['code', 11, 'bash', 'curl -LO https://dl.example.com/amd64/tool'],
      ['paragraph', 17, 'Check the download against its checksum file.'],
      ['list-item', 20, 'Move it onto your `PATH`.'],
      ['paragraph', 23, 'Do not run the tool as root; see Security and a lock.'],
    ]);
    expectNoJunk(passages);
  });
});

describe('parseMarkdown: tables of contents', () => {
  it('drops list items that only link to a heading of the same page, keeping other list items', () => {
    const { sections } = parseMarkdown('## Install\n\n- [With Chocolatey](#with-chocolatey)\n- [With winget](#winget)\n- Use [the script](#script) if neither works\n', 1, {});
    expect(sections[0]!.passages.map((p) => ('text' in p ? p.text : ''))).toEqual(['Use the script if neither works']);
  });
});

describe('parseMarkdown: bounded time on hostile markup', () => {
  it('reads an unclosed shortcode followed by a long run of spaces, and a long run of brackets, in linear time', () => {
    for (const body of [`{{% heading "${' '.repeat(200_000)}`, '['.repeat(200_000)]) {
      const started = performance.now();
      parseMarkdown(body, 1, {});
      // Quadratic backtracking took minutes here; linear work is a few milliseconds.
      expect(performance.now() - started).toBeLessThan(2000);
    }
  });
});
