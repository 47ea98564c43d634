/**
 * Dark-web analysis accuracy against the lab corpus's ground truth (issue #3 sections 7 and 8): the
 * corpus is generated for a 25-organization lab world, ingested through the real pipeline into a real
 * store (SQLite; PostgreSQL too when VITALS_TEST_DATABASE_URL is set), and the stored mentions and
 * entities are compared with the truth. Targets: precision ≥ 0.98 and recall ≥ 0.95 on (document,
 * organization) pairs and on (document, organization, class) triples; every valid planted identifier
 * found and no invalid one reported.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../src/store/database.js';
import { testDialects } from '../../src/store/test-dialects.js';
import { ingestDocuments, type IngestSummary } from '../../src/darkweb/ingest/ingest.js';
import { TEST_CREDENTIAL_KEY } from '../../src/darkweb/ingest/test-support.js';
import { buildLabWorld } from '../../src/lab/world/index.js';
import type { TruthOrganization } from '../../src/lab/world/index.js';
import { generateCorpus, type CorpusItem, type CorpusOrganization } from '../../src/lab/darkweb/corpus/index.js';

const SEED = 11;
const ORGS = 25;
const DOCUMENTS = 3000;

/**
 * The lab world's aliases are place names and acronyms; real hospitals also go by ordinary words
 * ("Summit", "Mercy") and some share a nickname. Three organizations get such aliases here so the
 * corpus can plant those traps too.
 */
function withExtraAliases(orgs: readonly TruthOrganization[]): CorpusOrganization[] {
  const extra: Record<number, string[]> = { 2: ['Summit'], 7: ['Mercy', 'Harbor'], 14: ['Evergreen', 'Harbor'] };
  return orgs.map((o, i) => ({
    name: o.name,
    domain: o.domain,
    sector: o.sector,
    aliases: [...o.aliases, ...(extra[i] ?? [])],
  }));
}

interface Scores {
  precision: number;
  recall: number;
  truePositives: number;
  falsePositives: string[];
  falseNegatives: string[];
}

function score(expected: ReadonlySet<string>, found: ReadonlySet<string>): Scores {
  const falsePositives = [...found].filter((k) => !expected.has(k));
  const falseNegatives = [...expected].filter((k) => !found.has(k));
  const truePositives = found.size - falsePositives.length;
  return {
    precision: found.size === 0 ? 1 : truePositives / found.size,
    recall: expected.size === 0 ? 1 : truePositives / expected.size,
    truePositives,
    falsePositives,
    falseNegatives,
  };
}

function describeScores(label: string, s: Scores): string {
  return (
    `${label}: precision ${s.precision.toFixed(4)} recall ${s.recall.toFixed(4)} (tp ${s.truePositives}, ` +
    `fp ${s.falsePositives.length}, fn ${s.falseNegatives.length})`
  );
}

const dialects = testDialects('dw_accuracy');

const organizations = withExtraAliases(buildLabWorld({ seed: 1, orgs: ORGS }).truth.organizations);
const items: CorpusItem[] = [...generateCorpus({ seed: SEED, documents: DOCUMENTS, organizations })];
const byId = new Map(items.map((i) => [i.truth.id, i]));
const counted = items.filter((i) => i.truth.duplicate_of === undefined);

for (const dialect of dialects) {
  describe(
    `dark-web accuracy on the lab corpus (${DOCUMENTS} documents, ${ORGS} organizations, ` + `${dialect.name})`,
    () => {
      let store: Store;
      let summary: IngestSummary;

      before(async () => {
        store = await dialect.open();
        await store.organizations.upsertMany(
          organizations.map((o) => ({
            name: o.name,
            sector: o.sector as 'hospital',
            domains: [o.domain],
            telehealth: false,
            aliases: [...o.aliases],
          })),
        );
        summary = await ingestDocuments(
          store,
          items.map((i) => i.document),
          { batchSize: 500, credentialKey: TEST_CREDENTIAL_KEY },
        );
      });
      after(async () => {
        await store?.close();
        await dialect.dispose();
      });

      test('every document is stored once; reposts are dropped as exact duplicates', () => {
        const reposts = items.length - counted.length;
        assert.equal(summary.rejected, 0);
        assert.equal(summary.inserted, counted.length, `inserted ${summary.inserted}, expected ${counted.length}`);
        assert.equal(summary.duplicates, reposts);
      });

      test(
        'organization mentions: precision ≥ 0.98 and recall ≥ 0.95 on pairs and on (document, organization, ' +
          'class) triples',
        async () => {
          const expectedPairs = new Set<string>();
          const expectedTriples = new Set<string>();
          for (const { truth } of counted) {
            for (const m of truth.mentions) {
              expectedPairs.add(`${truth.id} | ${m.org}`);
              expectedTriples.add(`${truth.id} | ${m.org} | ${m.class}`);
            }
          }
          const mentions = await store.darkweb.listMentions();
          const foundPairs = new Set(mentions.map((m) => `${m.documentId} | ${m.organizationName}`));
          const foundTriples = new Set(mentions.map((m) => `${m.documentId} | ${m.organizationName} | ${m.class}`));
          const pairs = score(expectedPairs, foundPairs);
          const triples = score(expectedTriples, foundTriples);
          const explain = (key: string): string => {
            const [id = '', org = ''] = key.split(' | ');
            const item = byId.get(id);
            const stored = mentions.find((m) => m.documentId === id && m.organizationName === org);
            const traps = item?.truth.traps.filter((t) => t.org === org).map((t) => `${t.kind} "${t.text}"`) ?? [];
            const truthMention = item?.truth.mentions.find((m) => m.org === org);
            return (
              `  ${key} [truth class ` +
              `${truthMention?.class ?? item?.truth.class}${truthMention ? `, planted via ${truthMention.via}` : ''}` +
              `${traps.length > 0 ? `, traps ${traps.join('; ')}` : ''}]` +
              `${stored ? ` stored as ${stored.class} via ${stored.via} "${stored.matched}": …${stored.snippet}…` : ''}`
            );
          };
          // Which templates the misses come from (truth.layout, with html when the page was markup).
          const byLayout = new Map<string, number>();
          for (const key of [...pairs.falseNegatives, ...triples.falseNegatives, ...pairs.falsePositives]) {
            const item = byId.get(key.split(' | ')[0] ?? '');
            const layout =
              item === undefined ? '?' : `${item.truth.layout}${item.truth.format === 'html' ? ' (html)' : ''}`;
            byLayout.set(layout, (byLayout.get(layout) ?? 0) + 1);
          }
          const report = [
            describeScores('pairs  ', pairs),
            describeScores('triples', triples),
            `misses by layout (missed pairs, class mismatches, false pairs): ${JSON.stringify(
              Object.fromEntries([...byLayout].sort((x, y) => y[1] - x[1])),
            )}`,
            'first false positives (pairs):',
            ...pairs.falsePositives.slice(0, 10).map(explain),
            'first false negatives (pairs):',
            ...pairs.falseNegatives.slice(0, 10).map(explain),
            'first class mismatches (triples):',
            ...triples.falsePositives.slice(0, 10).map(explain),
          ].join('\n');
          console.log(report);
          assert.ok(expectedPairs.size > DOCUMENTS / 4, `the corpus plants few mentions (${expectedPairs.size})`);
          assert.ok(pairs.precision >= 0.98 && pairs.recall >= 0.95, `pairs below target\n${report}`);
          assert.ok(triples.precision >= 0.98 && triples.recall >= 0.95, `triples below target\n${report}`);
        },
      );

      test('document classes (reported, per class)', async () => {
        const confusion = new Map<string, number>();
        const layouts = new Map<string, { right: number; all: number }>();
        let right = 0;
        for (const { truth } of counted) {
          const stored = await store.darkweb.getDocument(truth.id);
          assert.ok(stored, `${truth.id} is not stored`);
          const layout = layouts.get(truth.layout) ?? { right: 0, all: 0 };
          layouts.set(truth.layout, layout);
          layout.all += 1;
          if (stored.class === truth.class) layout.right += 1;
          if (stored.class === truth.class) right += 1;
          else
            confusion.set(
              `${truth.class} -> ${stored.class}`,
              (confusion.get(`${truth.class} -> ${stored.class}`) ?? 0) + 1,
            );
        }
        console.log(
          `document classes: ${right}/${counted.length} right (${(right / counted.length).toFixed(4)}); ` +
            `confusions: ${JSON.stringify(Object.fromEntries([...confusion].sort((a, b) => b[1] - a[1])))}\n` +
            `layouts below 1.0 (right/all): ${[...layouts]
              .filter(([, l]) => l.right < l.all)
              .sort((a, b) => a[1].right / a[1].all - b[1].right / b[1].all)
              .map(([name, l]) => `${name} ${l.right}/${l.all}`)
              .join(', ')}`,
        );
      });

      test('entities: every valid planted identifier is found, no invalid look-alike is reported', async () => {
        const perType = new Map<
          string,
          { valid: number; found: number; invalid: number; reported: number; missed: string[]; wrong: string[] }
        >();
        for (const { truth } of counted) {
          if (truth.entities.length === 0) continue;
          const stored = await store.darkweb.entitiesOf(truth.id);
          const found = new Set(stored.map((e) => `${e.type} ${e.value}`));
          const seen = new Set<string>();
          for (const [type, value, valid] of truth.entities) {
            const key = `${type} ${value}`;
            if (seen.has(key)) continue;
            seen.add(key);
            const row = perType.get(type) ?? { valid: 0, found: 0, invalid: 0, reported: 0, missed: [], wrong: [] };
            perType.set(type, row);
            if (valid) {
              row.valid += 1;
              if (found.has(key)) row.found += 1;
              else row.missed.push(`${truth.id} ${value} (${truth.layout}${truth.format === 'html' ? ', html' : ''})`);
            } else {
              row.invalid += 1;
              if (found.has(key)) {
                row.reported += 1;
                row.wrong.push(`${truth.id} ${value}`);
              }
            }
          }
        }
        const lines = [...perType].sort().map(([type, r]) => {
          const recall = r.valid === 0 ? 1 : r.found / r.valid;
          const precision = r.found + r.reported === 0 ? 1 : r.found / (r.found + r.reported);
          return (
            `  ${type.padEnd(14)} recall ${recall.toFixed(4)} (${r.found}/${r.valid})  precision over ` +
            `planted ${precision.toFixed(4)} (invalid reported ` +
            `${r.reported}/${r.invalid})` +
            `${r.missed.length > 0 ? `  missed e.g. ${r.missed.slice(0, 3).join(', ')}` : ''}` +
            `${r.wrong.length > 0 ? `  wrongly reported e.g. ${r.wrong.slice(0, 3).join(', ')}` : ''}`
          );
        });
        const report = `entities against planted identifiers:\n${lines.join('\n')}`;
        console.log(report);
        for (const expected of [
          'card',
          'ssn',
          'npi',
          'dea',
          'mbi',
          'onion',
          'btc',
          'xmr',
          'credential',
          'icd10',
          'clia',
          'cve',
          'ipv4',
          'email',
        ]) {
          assert.ok((perType.get(expected)?.valid ?? 0) > 0, `the corpus planted no valid ${expected}`);
        }
        for (const [type, r] of perType) {
          assert.equal(r.missed.length, 0, `${type}: valid planted values not found\n${report}`);
          assert.equal(r.reported, 0, `${type}: invalid look-alikes reported\n${report}`);
        }
      });
    },
  );
}
