import { describe, expect, it } from 'vitest';
import { groupWordings } from '../../src/digest/group.js';

describe('grouping the wordings of one question', () => {
  it('counts near-identical wordings once, under the one asked most', () => {
    const groups = groupWordings([
      { question: 'how do I rotate the etcd certificates', count: 2 },
      { question: 'How do I rotate etcd certificates?', count: 3 },
      { question: 'helm 怎么回滚 release', count: 1 },
      { question: 'helm 怎么回滚 release？', count: 4 },
      { question: 'what is a service mesh', count: 1 },
    ]);
    expect(groups).toEqual([
      { question: 'helm 怎么回滚 release？', count: 5, wordings: ['helm 怎么回滚 release？', 'helm 怎么回滚 release'] },
      { question: 'How do I rotate etcd certificates?', count: 5, wordings: ['How do I rotate etcd certificates?', 'how do I rotate the etcd certificates'] },
      { question: 'what is a service mesh', count: 1, wordings: ['what is a service mesh'] },
    ]);
  });

  it('keeps questions apart that only share a subject', () => {
    const groups = groupWordings([
      { question: 'how do I back up etcd', count: 1 },
      { question: 'which port does etcd listen on', count: 1 },
    ]);
    expect(groups).toHaveLength(2);
  });
});
