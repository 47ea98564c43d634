/**
 * The lab's dark-web corpus (issue #3 section 7): N documents in the JSONL ingestion format, generated
 * deterministically from a seed, each with its ground truth (class, the (document, organization)
 * mentions that must be found, the traps that must not match, every planted identifier). Documents
 * are produced one at a time from a per-document random stream, so a million of them never sit in
 * memory together and document 17 is the same whether 20 or 20,000 are generated. Which organizations
 * a document may name follows each organization's exposure profile (exposure.ts), also drawn from the
 * seed, so a big corpus does not put every organization in every class.
 */
import type { DarkwebDocumentInput, DocumentClass, SourceType } from '../../../darkweb/types.js';
import { createRng, type Rng } from '../../world/rng.js';
import { DOCUMENT_MIX, type Builder, type BuiltDocument, handle } from './documents.js';
import { escapeHtml } from './doc-helpers.js';
import { ExposureRoster, planExposure } from './exposure.js';
import { buildAddressPools, type AddressPools, type PlantedType } from './identifiers.js';
import { buildOrgProfiles, TermGuard, type CorpusOrganization, type OrgProfile } from './orgs.js';
import { SITES, VOCABULARY_ACRONYMS } from './vocabulary.js';
import { DocWriter, type CorpusContext, type MentionVia, type TruthTrap } from './writer.js';

export type { CorpusOrganization } from './orgs.js';
export type { MentionVia, TruthTrap, TrapKind } from './writer.js';
export type { PlantedType } from './identifiers.js';
export { EXPOSURE_RATES, UNTOUCHED_RATE } from './exposure.js';

/** Largest corpus `vitals lab up --documents` accepts. */
export const MAX_CORPUS_DOCUMENTS = 1_000_000;
/** Default corpus size of `vitals lab up`. */
export const DEFAULT_CORPUS_DOCUMENTS = 20_000;

/** Options of generateCorpus. */
export interface GenerateCorpusOptions {
  seed: number;
  /** Number of documents, 1..1,000,000. */
  documents: number;
  /** The monitored organizations (the lab world's `truth.organizations`, or any list). */
  organizations: readonly CorpusOrganization[];
  /** Share of forum, market and leak-site documents delivered as `html` instead of `text` (default 0.15). */
  htmlShare?: number;
  /** Share of documents that repost an earlier document's text verbatim (default 0.01). */
  repostShare?: number;
}

/** Ground truth of one document (one line of truth.jsonl). */
export interface DocumentTruth {
  id: string;
  /** What the content is: the class of every mention except those named in passing. */
  class: DocumentClass;
  source_type: SourceType;
  format: 'text' | 'html';
  /** The template that wrote it (`credential/ulp`, `phi/markdown`, `access/html-dl-field`...), to group results. */
  layout: string;
  /**
   * Organizations that must be found, with how the text names them and the class the mention must
   * get: the document's class for its targets and owners, chatter for an organization named in
   * passing ("FYI, X was hit last month" in an access offer).
   */
  mentions: Array<{ org: string; via: MentionVia; class: DocumentClass }>;
  /** Look-alikes and ambiguous aliases that must not count as mentions of `org`. */
  traps: TruthTrap[];
  /** Planted identifiers as [type, normalized value, valid]; invalid ones must not be reported. */
  entities: Array<[PlantedType, string, boolean]>;
  /**
   * Set when this document repeats an earlier one's text: ingestion drops it as an exact duplicate, so nothing of it is
   * expected.
   */
  duplicate_of?: string;
}

/** One generated document and its truth. */
export interface CorpusItem {
  document: DarkwebDocumentInput;
  truth: DocumentTruth;
}

/** Summary of a corpus, also the head of truth.json. */
export interface CorpusHeader {
  seed: number;
  documents: number;
  organizations: Array<{
    name: string;
    domain: string;
    sector: string;
    aliases: readonly string[];
    exposure: OrganizationExposure;
  }>;
}

/**
 * The plan behind an organization's mentions: the classes documents may mention it in (none: it is
 * never mentioned, only imitated by traps) and its relative heat. A class with few documents may
 * still name it nowhere; the exact mentions are in the per-document truth.
 */
export interface OrganizationExposure {
  classes: DocumentClass[];
  heat: number;
}

interface CorpusState {
  ctx: CorpusContext;
  pools: AddressPools;
  sources: Record<SourceType, Array<{ name: string; onion: string }>>;
  options: Required<Omit<GenerateCorpusOptions, 'organizations'>>;
  totalWeight: number;
}

const BASE_TIME = Date.UTC(2024, 0, 1);
const DAY_MS = 86_400_000;

function setUp(options: GenerateCorpusOptions): CorpusState {
  const { seed, documents, organizations } = options;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (!Number.isInteger(documents) || documents < 1 || documents > MAX_CORPUS_DOCUMENTS)
    throw new RangeError(`documents must be an integer in 1..${MAX_CORPUS_DOCUMENTS}, got ${documents}`);
  if (organizations.length === 0) throw new RangeError('the corpus needs at least one organization');
  const setupRng = createRng(seed, 'darkweb-corpus', 'setup');
  const orgs: OrgProfile[] = buildOrgProfiles(organizations, setupRng);
  const exposure = new ExposureRoster(orgs, exposurePlan(seed, organizations.length));
  const guard = new TermGuard(organizations);
  const colliding = Object.keys(VOCABULARY_ACRONYMS).filter((a) => guard.acronyms.has(a));
  const acronymRegex =
    colliding.length === 0 ? undefined : new RegExp(`(?<![A-Za-z0-9])(?:${colliding.join('|')})(?![A-Za-z0-9])`, 'g');
  const pools = buildAddressPools(createRng(seed, 'darkweb-corpus', 'pools'), 24);
  let k = 0;
  const sources = Object.fromEntries(
    (Object.keys(SITES) as SourceType[]).map((type) => [
      type,
      SITES[type].map((name) => ({ name, onion: pools.onions[k++ % pools.onions.length]! })),
    ]),
  ) as CorpusState['sources'];
  return {
    ctx: { orgs, exposure, guard, acronymRegex },
    pools,
    sources,
    options: { seed, documents, htmlShare: options.htmlShare ?? 0.15, repostShare: options.repostShare ?? 0.01 },
    totalWeight: DOCUMENT_MIX.reduce((sum, [, weight]) => sum + weight, 0),
  };
}

function pickBuilder(gen: CorpusState, rng: Rng): Builder {
  let r = rng.next() * gen.totalWeight;
  for (const [, weight, builder] of DOCUMENT_MIX) {
    r -= weight;
    if (r < 0) return builder;
  }
  return DOCUMENT_MIX[DOCUMENT_MIX.length - 1]![2];
}

/** Its own stream, so the look-alike spellings drawn at setup do not shift with the plan. */
function exposurePlan(seed: number, count: number): OrganizationExposure[] {
  return planExposure(count, createRng(seed, 'darkweb-corpus', 'exposure'));
}

/**
 * Each organization's exposure profile in the corpus of `seed` (what `generateCorpus` follows), in
 * the order of `organizations`. Cheap: no document is generated.
 */
export function corpusExposure(
  options: Pick<GenerateCorpusOptions, 'seed' | 'organizations'>,
): Array<{ name: string } & OrganizationExposure> {
  const plan = exposurePlan(options.seed, options.organizations.length);
  return options.organizations.map((o, i) => ({ name: o.name, ...plan[i]! }));
}

/** The id of document `index` of the corpus of `seed`. */
export function corpusDocumentId(seed: number, index: number): string {
  return `lab${seed}-${String(index).padStart(7, '0')}`;
}

/** A forum/market page around the text: scripts and styles that extraction must drop, one block per line. */
function renderHtml(title: string, body: string, site: string, style: BuiltDocument['blocks']): string {
  if (style === 'pre') return page(title, `<pre><code>${escapeHtml(body)}</code></pre>`, site);
  if (style === 'br') return page(title, body.split('\n').map(escapeHtml).join('<br>\n'), site);
  const blocks = body
    .split('\n')
    .map((line) => (line === '' ? '<br>' : `<p>${escapeHtml(line)}</p>`))
    .join('\n');
  return page(title, blocks, site);
}

/** The page around a body already in markup. */
function page(title: string, blocks: string, site: string): string {
  return [
    '<!doctype html><html><head><meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title>`,
    '<style>body{background:#111;color:#ddd;font-family:monospace}.post{margin:1em}</style>',
    `<script>var session = "${site.length.toString(16)}"; function ping(){ return ` +
      `fetch("/api/ping?id=tracker-42"); }</script>`,
    '</head><body>',
    `<nav>${escapeHtml(site)} &middot; Home &middot; Rules &middot; Escrow</nav>`,
    `<div class="post">\n${blocks}\n</div>`,
    '<noscript>enable JavaScript for the chat</noscript>',
    '</body></html>',
  ].join('\n');
}

/** Builds document `index` without reposts (what a repost copies). */
function buildOriginal(gen: CorpusState, index: number): CorpusItem {
  const { seed } = gen.options;
  const rng = createRng(seed, 'darkweb-doc', index);
  const w = new DocWriter(rng, gen.ctx);
  const built = pickBuilder(gen, rng)({ w, index, pools: gen.pools });
  const title = w.finish(built.title).trim();
  const markup = built.html === undefined ? undefined : w.finish(built.html, escapeHtml).trim();
  const text = w.finish(built.body).trim();
  const site = rng.pick(gen.sources[built.sourceType]);
  const id = corpusDocumentId(seed, index);
  const postedAt = new Date(BASE_TIME + rng.int(540) * DAY_MS + rng.int(DAY_MS / 1000) * 1000).toISOString();
  const pathByType: Record<SourceType, string> = {
    forum: `/threads/${index}`,
    market: `/listing/${index}`,
    paste: `/p/${((index * 2_654_435_761) % 4_294_967_296).toString(36)}`,
    leak_site: `/victims/${index}`,
    chat: `/c/${index}`,
  };
  const document: DarkwebDocumentInput = {
    id,
    source: built.sourceType === 'chat' ? `telegram:@${site.name}` : site.name,
    source_type: built.sourceType,
    url:
      built.sourceType === 'chat'
        ? `https://t.me/${site.name}/${index}`
        : `http://${site.onion}${pathByType[built.sourceType]}`,
    author: built.sourceType === 'leak_site' ? site.name : handle(w),
    posted_at: postedAt,
  };
  if (title !== '') document.title = title;
  const html =
    markup !== undefined ||
    ((built.sourceType === 'forum' || built.sourceType === 'market' || built.sourceType === 'leak_site') &&
      rng.chance(gen.options.htmlShare));
  if (markup !== undefined) document.html = page(title, markup, site.name);
  else if (html) document.html = renderHtml(title, text, site.name, built.blocks);
  else document.text = text;
  const truth: DocumentTruth = {
    id,
    class: built.class,
    source_type: built.sourceType,
    format: html ? 'html' : 'text',
    layout: built.layout,
    mentions: [...w.mentions].map(([org, via]) => ({
      org: gen.ctx.orgs[org]!.name,
      via,
      class: w.inPassing.has(org) ? 'chatter' : built.class,
    })),
    traps: w.traps,
    entities: w.entities.map((e) => [e.type, e.value, e.valid]),
  };
  return { document, truth };
}

/** Whether document `index` reposts an earlier one (decided from its own stream only). */
function repostOf(gen: CorpusState, index: number): number | undefined {
  if (index < 10) return undefined;
  const rng = createRng(gen.options.seed, 'darkweb-repost', index);
  if (!rng.chance(gen.options.repostShare)) return undefined;
  return index - 1 - rng.int(Math.min(index - 1, 500));
}

function buildItem(gen: CorpusState, index: number): CorpusItem {
  const of = repostOf(gen, index);
  // A mirror or repost: the same text under another id, url and date. Only an original is copied
  // (a repost of a repost would copy text that is not in the corpus).
  if (of !== undefined && repostOf(gen, of) === undefined) {
    const original = buildOriginal(gen, of);
    const copy = buildOriginal(gen, index);
    const id = corpusDocumentId(gen.options.seed, index);
    const document: DarkwebDocumentInput = {
      ...original.document,
      id,
      url: copy.document.url,
      posted_at: copy.document.posted_at,
    };
    return {
      document,
      truth: { ...original.truth, id, mentions: [], traps: [], entities: [], duplicate_of: original.truth.id },
    };
  }
  return buildOriginal(gen, index);
}

/** The corpus header (seed, size, organizations with their exposure profiles) without generating documents. */
export function corpusHeader(options: GenerateCorpusOptions): CorpusHeader {
  const plan = exposurePlan(options.seed, options.organizations.length);
  return {
    seed: options.seed,
    documents: options.documents,
    organizations: options.organizations.map((o, i) => ({
      name: o.name,
      domain: o.domain,
      sector: o.sector,
      aliases: [...o.aliases],
      exposure: plan[i]!,
    })),
  };
}

/**
 * Generates the corpus lazily: iterate to get each document with its truth. Same options, same
 * corpus. Throws RangeError for a bad seed, size or an empty organization list.
 */
export function* generateCorpus(options: GenerateCorpusOptions): Generator<CorpusItem, void, undefined> {
  const gen = setUp(options);
  for (let index = 0; index < gen.options.documents; index++) yield buildItem(gen, index);
}
