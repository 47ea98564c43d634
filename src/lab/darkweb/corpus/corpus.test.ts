import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLabWorld } from '../../world/index.js';
import { sectorWordTable } from '../../../darkweb/match/sector-words.js';
import { DOCUMENT_CLASSES } from '../../../darkweb/types.js';
import {
  base58CheckValid,
  deaValid,
  luhnValid,
  mbiValid,
  moneroValid,
  npiValid,
  onionV3Valid,
  segwitValid,
  ssnValid,
} from './checksums.js';
import {
  corpusExposure,
  generateCorpus,
  readCorpusSummary,
  readCorpusTruth,
  writeCorpus,
  type CorpusItem,
  type CorpusOrganization,
} from './index.js';

const world = buildLabWorld({ seed: 1, orgs: 25 });
const extra: Record<number, string[]> = { 2: ['Summit'], 7: ['Mercy', 'Harbor'], 14: ['Evergreen', 'Harbor'] };
const organizations: CorpusOrganization[] = world.truth.organizations.map((o, i) => ({
  ...o,
  aliases: [...o.aliases, ...(extra[i] ?? [])],
}));
const items: CorpusItem[] = [...generateCorpus({ seed: 5, documents: 3000, organizations })];

function textOf(item: CorpusItem): string {
  return `${item.document.title ?? ''}\n${item.document.text ?? item.document.html ?? ''}`;
}

describe('dark-web corpus generator', () => {
  test('is deterministic, and a document does not depend on how many are generated', () => {
    const again = [...generateCorpus({ seed: 5, documents: 200, organizations })];
    assert.deepEqual(again, items.slice(0, 200));
    const other = [...generateCorpus({ seed: 6, documents: 50, organizations })];
    assert.notDeepEqual(
      other.map((i) => i.document.text),
      items.slice(0, 50).map((i) => i.document.text),
    );
  });

  test('rejects bad sizes, seeds and empty portfolios', () => {
    assert.throws(() => [...generateCorpus({ seed: 1, documents: 0, organizations })], RangeError);
    assert.throws(() => [...generateCorpus({ seed: 1, documents: 1_000_001, organizations })], RangeError);
    assert.throws(() => [...generateCorpus({ seed: 1.5, documents: 10, organizations })], RangeError);
    assert.throws(() => [...generateCorpus({ seed: 1, documents: 10, organizations: [] })], RangeError);
  });

  test('covers every source type, class, way of mentioning, trap kind and some HTML', () => {
    const seen = (f: (i: CorpusItem) => string[]): Set<string> => new Set(items.flatMap(f));
    assert.deepEqual([...seen((i) => [i.document.source_type])].sort(), [
      'chat',
      'forum',
      'leak_site',
      'market',
      'paste',
    ]);
    const mentionClasses = seen((i) => (i.truth.mentions.length > 0 ? [i.truth.class] : []));
    assert.deepEqual([...mentionClasses].sort(), [...DOCUMENT_CLASSES].sort());
    assert.deepEqual([...seen((i) => i.truth.mentions.map((m) => m.via))].sort(), [
      'alias',
      'domain',
      'email_domain',
      'name',
    ]);
    const trapKinds = seen((i) => i.truth.traps.map((t) => t.kind));
    for (const kind of [
      'lookalike_plural',
      'lookalike_typo',
      'lookalike_other_place',
      'lookalike_continuation',
      'typo_domain',
      'short_alias_no_context',
      'common_word_alias',
      'shared_alias_no_context',
    ]) {
      assert.ok(trapKinds.has(kind), `no ${kind} trap`);
    }
    assert.ok(items.some((i) => i.document.html !== undefined && i.truth.format === 'html'));
    assert.ok(items.some((i) => i.truth.duplicate_of !== undefined));
    assert.ok(
      items.filter((i) => i.truth.mentions.length === 0).length > items.length / 3,
      'plenty of documents mention nobody',
    );
  });

  test('ids are unique and texts are unique except for declared reposts', () => {
    assert.equal(new Set(items.map((i) => i.document.id)).size, items.length);
    const firstByText = new Map<string, string>();
    for (const item of items) {
      const body = item.document.text ?? item.document.html!;
      const earlier = firstByText.get(body);
      if (item.truth.duplicate_of !== undefined)
        assert.equal(earlier, item.truth.duplicate_of, `${item.truth.id} repeats ${item.truth.duplicate_of}`);
      else {
        assert.equal(earlier, undefined, `${item.truth.id} repeats ${earlier} without being declared`);
        firstByText.set(body, item.truth.id);
      }
    }
  });

  test('planted identifiers verify (or fail) with independent checks and appear in the text', () => {
    const check: Record<string, (v: string) => boolean> = {
      card: luhnValid,
      npi: npiValid,
      dea: deaValid,
      ssn: ssnValid,
      mbi: mbiValid,
      onion: onionV3Valid,
      btc: (v) => (v.startsWith('bc1') ? segwitValid(v) : base58CheckValid(v)),
      xmr: moneroValid,
    };
    let checked = 0;
    for (const item of items) {
      const text = textOf(item).replace(/&amp;/g, '&');
      for (const [type, value, valid] of item.truth.entities) {
        const verify = check[type];
        if (verify !== undefined) {
          assert.equal(
            verify(value),
            valid,
            `${item.truth.id} ${type} ${value} should be ${valid ? 'valid' : 'invalid'}`,
          );
          checked += 1;
        }
        const written = type === 'card' || type === 'mbi' ? null : value;
        if (written !== null && type !== 'phi_indicator')
          assert.ok(
            text.toLowerCase().includes(written.toLowerCase()),
            `${item.truth.id}: ${type} ${value} is not in the text`,
          );
      }
    }
    assert.ok(checked > 1000);
  });

  test('every organization named in a text is in the truth (no accidental mention)', () => {
    for (const item of items) {
      const text = textOf(item).toLowerCase();
      const expected = new Set(item.truth.mentions.map((m) => m.org));
      if (item.truth.duplicate_of !== undefined) continue;
      for (const org of organizations) {
        if (expected.has(org.name)) continue;
        for (const term of [org.name.toLowerCase(), org.domain]) {
          const at = new RegExp(`(?<![a-z0-9-])${term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![a-z0-9-])`).exec(text);
          // A look-alike that only adds letters after the name ("... Medicines") is a declared trap.
          const trap = item.truth.traps.some((t) => t.org === org.name && t.kind === 'lookalike_continuation');
          assert.ok(
            at === null || trap,
            `${item.truth.id} names ${org.name} (${term}) but the truth has no such mention`,
          );
        }
      }
    }
  });

  test('ambiguous-alias traps sit in text without any healthcare word, so nothing corroborates them', () => {
    const words = [...sectorWordTable().keys()];
    const ambiguous = new Set(['short_alias_no_context', 'common_word_alias', 'shared_alias_no_context']);
    let traps = 0;
    for (const item of items) {
      if (!item.truth.traps.some((t) => ambiguous.has(t.kind))) continue;
      traps += 1;
      const text = textOf(item).toLowerCase();
      for (const word of words)
        assert.ok(
          !new RegExp(`(?<![a-z0-9])${word}(?![a-z0-9])`).test(text),
          `${item.truth.id} has "${word}" near its traps:\n${text}`,
        );
    }
    assert.ok(traps > 100);
  });

  // Generation speed is a performance target: it is measured by npm run bench (darkweb-ingest), not here.
  test('20,000 documents generate, and the default world is not mentioned uniformly', () => {
    let n = 0;
    const seen = new Map<string, Set<string>>();
    for (const { truth } of generateCorpus({ seed: 9, documents: 20_000, organizations: world.truth.organizations })) {
      n += 1;
      for (const m of truth.mentions) seen.set(m.org, (seen.get(m.org) ?? new Set()).add(m.class));
    }
    assert.equal(n, 20_000);
    // What the demo's portfolio summary shows: at the default size some organizations are never
    // mentioned, and most of those that are appear in only some classes.
    const orgCount = world.truth.organizations.length;
    assert.ok(
      orgCount - seen.size >= 5,
      `only ${orgCount - seen.size} of ${orgCount} organizations are never mentioned`,
    );
    const everywhere = [...seen.values()].filter((classes) => classes.size === DOCUMENT_CLASSES.length).length;
    assert.ok(everywhere <= 2, `${everywhere} organizations are mentioned in every class`);
    const onLeakSites = [...seen.values()].filter((classes) => classes.has('ransomware_listing')).length;
    assert.ok(
      onLeakSites >= 1 && onLeakSites <= 5,
      `${onLeakSites} of ${orgCount} organizations on a ransomware leak site`,
    );
  });

  test('writeCorpus streams corpus.jsonl, truth.jsonl and truth.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vitals-corpus-'));
    try {
      const summary = await writeCorpus(dir, { seed: 5, documents: 500, organizations });
      const corpusLines = readFileSync(join(dir, 'corpus.jsonl'), 'utf8').trimEnd().split('\n');
      assert.equal(corpusLines.length, 500);
      assert.deepEqual(JSON.parse(corpusLines[17]!), items[17]!.document);
      const truths = [];
      for await (const t of readCorpusTruth(dir)) truths.push(t);
      assert.deepEqual(
        truths,
        items.slice(0, 500).map((i) => i.truth),
      );
      const onDisk = readCorpusSummary(dir);
      assert.deepEqual(onDisk, summary);
      assert.equal(summary.documents, 500);
      assert.equal(
        Object.values(summary.documentsByClass).reduce((a, b) => a + b, 0),
        500,
      );
      assert.equal(
        summary.mentions,
        truths.reduce((sum, t) => sum + t.mentions.length, 0),
      );
      const byOrg: Record<string, Record<string, number>> = {};
      for (const t of truths)
        for (const m of t.mentions) (byOrg[m.org] ??= {})[m.class] = (byOrg[m.org]?.[m.class] ?? 0) + 1;
      assert.deepEqual(summary.mentionsByOrganization, byOrg);
      const plan = corpusExposure({ seed: 5, organizations });
      assert.deepEqual(
        summary.organizations.map((o) => ({ name: o.name, ...o.exposure })),
        plan,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('exposure profiles of the dark-web corpus', () => {
  const RATE_BOUNDS: Record<string, [number, number]> = {
    ransomware_listing: [0.12, 0.15],
    data_for_sale: [0.18, 0.22],
    access_for_sale: [0.1, 0.14],
    credential_leak: [0.32, 0.38],
    phi_exposure: [0.1, 0.14],
    chatter: [0.45, 0.55],
  };

  test('at 1,000 organizations each class covers a realistic share and ~30% are never planned', () => {
    const thousand = Array.from({ length: 1000 }, (_, i) => ({
      name: `Org ${i}`,
      domain: `org-${i}.test`,
      sector: 'clinic',
      aliases: [],
    }));
    for (const seed of [1, 2, 3]) {
      const plan = corpusExposure({ seed, organizations: thousand });
      for (const cls of DOCUMENT_CLASSES) {
        const share = plan.filter((p) => p.classes.includes(cls)).length / plan.length;
        const [low, high] = RATE_BOUNDS[cls]!;
        assert.ok(share >= low && share <= high, `seed ${seed}: ${cls} covers ${share}`);
      }
      const untouched = plan.filter((p) => p.classes.length === 0).length / plan.length;
      assert.ok(untouched >= 0.27 && untouched <= 0.33, `seed ${seed}: ${untouched} untouched`);
      assert.ok(
        plan.every((p) => (p.classes.length === 0) === (p.heat === 0)),
        'heat belongs to exposed organizations only',
      );
    }
    assert.notDeepEqual(
      corpusExposure({ seed: 1, organizations: thousand }),
      corpusExposure({ seed: 2, organizations: thousand }),
    );
    assert.deepEqual(
      corpusExposure({ seed: 1, organizations: thousand }),
      corpusExposure({ seed: 1, organizations: thousand }),
    );
  });

  test(
    'at 25 organizations every class has a member and several organizations are untouched, whatever the ' + 'seed',
    () => {
      for (let seed = 0; seed < 200; seed++) {
        const plan = corpusExposure({ seed, organizations });
        for (const cls of DOCUMENT_CLASSES)
          assert.ok(
            plan.some((p) => p.classes.includes(cls)),
            `seed ${seed}: nobody in ${cls}`,
          );
        const untouched = plan.filter((p) => p.classes.length === 0).length;
        assert.ok(untouched >= 5 && untouched <= 10, `seed ${seed}: ${untouched} untouched`);
      }
    },
  );

  test(
    'the truth follows the profile: untouched organizations are only imitated by traps, mentions stay in ' +
      'planned classes',
    () => {
      const plan = new Map(corpusExposure({ seed: 5, organizations }).map((p) => [p.name, p]));
      const untouched = [...plan.values()].filter((p) => p.classes.length === 0).map((p) => p.name);
      const mentionedIn = new Map<string, Set<string>>();
      const trapped = new Set<string>();
      for (const { truth } of items) {
        for (const m of truth.mentions) {
          assert.ok(
            plan.get(m.org)!.classes.includes(m.class),
            `${truth.id} mentions ${m.org} in ${m.class}, outside its profile`,
          );
          mentionedIn.set(m.org, (mentionedIn.get(m.org) ?? new Set()).add(m.class));
        }
        for (const t of truth.traps) trapped.add(t.org);
      }
      assert.ok(untouched.length >= 5);
      for (const name of untouched) {
        assert.equal(mentionedIn.get(name), undefined, `${name} is untouched but mentioned`);
        assert.ok(trapped.has(name), `${name} is never imitated by a trap`);
      }
      for (const cls of DOCUMENT_CLASSES)
        assert.ok(
          [...mentionedIn.values()].some((c) => c.has(cls)),
          `no organization mentioned in ${cls}`,
        );
    },
  );

  test(
    'at 1,000 organizations and 20,000 documents the mentions have a long tail and stay within the planned ' + 'shares',
    () => {
      const big = buildLabWorld({ seed: 2, orgs: 1000 }).truth.organizations;
      const plan = new Map(corpusExposure({ seed: 3, organizations: big }).map((p) => [p.name, p]));
      const perOrg = new Map<string, number>();
      const perClass = new Map<string, Set<string>>();
      for (const { truth } of generateCorpus({ seed: 3, documents: 20_000, organizations: big })) {
        for (const m of truth.mentions) {
          assert.ok(plan.get(m.org)!.classes.includes(m.class), `${truth.id}: ${m.org} in ${m.class}`);
          perOrg.set(m.org, (perOrg.get(m.org) ?? 0) + 1);
          perClass.set(m.class, (perClass.get(m.class) ?? new Set()).add(m.org));
        }
      }
      const shares = Object.fromEntries(
        DOCUMENT_CLASSES.map((cls) => [cls, (perClass.get(cls)?.size ?? 0) / big.length]),
      );
      console.log(
        `1,000 organizations, 20,000 documents: share of organizations mentioned per class ` +
          `${JSON.stringify(shares)}, mentioned at all ${perOrg.size / big.length}`,
      );
      // A planned class may get no document for a cold organization, so observed shares sit at or below the plan, not
      // far
      // below.
      for (const cls of DOCUMENT_CLASSES) {
        const [low, high] = RATE_BOUNDS[cls]!;
        assert.ok(shares[cls]! >= low * 0.7 && shares[cls]! <= high, `${cls}: ${shares[cls]} of organizations`);
      }
      assert.ok(
        perOrg.size / big.length <= 0.7 && perOrg.size / big.length >= 0.5,
        `${perOrg.size} organizations mentioned`,
      );
      const counts = [...perOrg.values()].sort((a, b) => b - a);
      const total = counts.reduce((a, b) => a + b, 0);
      const topTenth = counts.slice(0, Math.ceil(counts.length / 10)).reduce((a, b) => a + b, 0);
      const median = counts[counts.length >> 1]!;
      console.log(
        `mentions per organization: top ${counts.slice(0, 5).join(', ')}; median ${median}; top tenth holds ` +
          `${(topTenth / total).toFixed(2)}`,
      );
      assert.ok(topTenth / total > 0.5, `the top tenth holds only ${topTenth / total} of the mentions`);
      assert.ok(median * 2 < total / counts.length, `median ${median} vs mean ${total / counts.length}: no long tail`);
    },
  );
});
