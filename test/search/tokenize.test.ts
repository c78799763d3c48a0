import { describe, expect, it } from 'vitest';
import { stem, tokenize, tokenizeQuery } from '../../src/search/tokenize.js';

describe('tokenize', () => {
  it('turns Chinese runs into overlapping bigrams', () => {
    expect(tokenize('默认端口')).toEqual(['默认', '认端', '端口']);
  });

  it('keeps compound identifiers whole and also splits them', () => {
    expect(tokenize('--to-revision')).toEqual(['to-revision', 'revision']);
    expect(tokenize('/etc/kubernetes/pki')).toEqual(['etc/kubernetes/pki', 'etc', 'kubernetes', 'pki']);
  });

  it('splits camelCase field names into their words', () => {
    expect(tokenize('imagePullPolicy')).toEqual(['imagepullpolicy', 'image', 'pull', 'policy']);
  });

  it('reads plural acronyms as one word, not as camelCase', () => {
    expect(tokenize('PVCs and CRDs')).toEqual(['pvc', 'crd']);
  });

  it('lower-cases, drops English stop words and plural endings', () => {
    expect(tokenize('How do the Pods restart')).toEqual(['pod', 'restart']);
    expect(tokenize('it gets whether things restart')).toEqual(['restart']);
    expect(tokenize('whats the pod ip thru the api pls')).toEqual(['pod', 'ip', 'api']);
    expect(stem('policies')).toBe('policy');
    expect(stem('status')).toBe('status');
  });

  it('treats 5,000 and 5000 as the same number', () => {
    expect(tokenize('5,000 nodes')).toEqual(tokenize('5000 nodes'));
  });

  it('handles Chinese and English mixed in one sentence', () => {
    expect(tokenize('用kubectl回滚')).toEqual(['用', 'kubectl', '回滚']);
  });
});

describe('tokenizeQuery', () => {
  it('drops Chinese function words and never pairs characters across them', () => {
    const terms = tokenizeQuery('apiserver的默认端口是多少？');
    expect(terms).toContain('apiserver');
    expect(terms).toContain('默认');
    expect(terms).toContain('端口');
    expect(terms).not.toContain('的默');
    expect(terms.some((t) => t.includes('多少'))).toBe(false);
  });

  it('returns nothing for a question made only of filler', () => {
    expect(tokenizeQuery('请问一下，你们这个是什么呢？')).toEqual([]);
  });
});
