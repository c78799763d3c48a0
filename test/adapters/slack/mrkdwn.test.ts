import { describe, expect, it } from 'vitest';
import { escapeText, inlineToMrkdwn, questionFromSlack } from '../../../adapters/slack/mrkdwn.js';

describe('inline markdown to mrkdwn', () => {
  it('turns bold and links into Slack markup and leaves inline code alone', () => {
    expect(inlineToMrkdwn('**bold** and [docs](https://k8s.io/a?x=1&y=2) and `a **b** <c>`')).toBe(
      '*bold* and <https://k8s.io/a?x=1&amp;y=2|docs> and `a **b** &lt;c&gt;`',
    );
  });

  it('keeps a link that is not http(s) as text', () => {
    expect(inlineToMrkdwn('[run](javascript:alert)')).toBe('run (javascript:alert)');
  });

  it('escapes markup and defuses broadcast words in any text', () => {
    expect(escapeText('<!channel> & <@U123> @here @Everyone hello@heresy')).toBe('&lt;!channel&gt; &amp; &lt;@U123&gt; @\u200bhere @\u200bEveryone hello@heresy');
  });
});

describe('questionFromSlack', () => {
  it('removes the bot mention and reads other markup as plain words', () => {
    expect(questionFromSlack('<@UBOT> what does <https://k8s.io|k8s docs> say about <#C123|ops> &lt;pod&gt; &amp; <@UOTHER> <!here>', 'UBOT')).toBe(
      'what does k8s docs say about #ops <pod> & @UOTHER @here',
    );
  });
});
