import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/commands/load.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { resolveRef } from '../../src/knowledge/refs.js';
import { shippedCatalogDir, shippedKnowledgeDir, shippedTipsDir } from '../../src/paths.js';
import { loadTips } from '../../src/tips/load.js';

const knowledge = loadKnowledge(shippedKnowledgeDir);
const catalog = loadCatalog(shippedCatalogDir);
const tips = loadTips(shippedTipsDir);
const notes = new Map((knowledge.ok ? knowledge.value.notes : []).map((n) => [n.path, n]));
const commandNames = new Set(catalog.commands.map((c) => `${c.tool} ${c.path}`));

describe('links in the shipped catalog and tips', () => {
  it('all resolve to a note section or a catalog command', () => {
    const dangling = [
      ...catalog.commands.flatMap((c) => c.see.map((ref) => ({ from: `${c.tool} ${c.path}`, ref }))),
      ...tips.tips.flatMap((t) => t.see.map((ref) => ({ from: `tip ${t.id}`, ref }))),
    ].filter(({ ref }) => !resolveRef(ref, notes, commandNames));
    expect(dangling).toEqual([]);
  });

  it('resolve a heading and a command, and nothing that is not there', () => {
    expect(resolveRef('en/07-deployment.md#Rolling update', notes, commandNames)).toMatchObject({ kind: 'section' });
    expect(resolveRef('kubectl rollout undo', notes, commandNames)).toEqual({ kind: 'command', command: 'kubectl rollout undo' });
    expect(resolveRef('en/07-deployment.md#No such heading', notes, commandNames)).toBeUndefined();
    expect(resolveRef('kubectl rollout sideways', notes, commandNames)).toBeUndefined();
  });
});
