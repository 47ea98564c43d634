/** `vitals darkweb search QUERY`: ranked full-text search of the dark-web documents (issue #3 section 5). */
import { type Command, Option } from 'commander';
import { withContext } from '../../core/errors.js';
import { parseSearchQuery } from '../../darkweb/search/parser.js';
import { walkQuery } from '../../core/search-query.js';
import type { DarkwebSearchResults } from '../../core/darkweb.js';
import { DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT } from '../../store/repos/darkweb-search.repo.js';
import { resolveHome } from '../context.js';
import { addHomeOption, parseIntegerOption } from '../options.js';
import { writeJson, writeJsonLine, useColour, OUTPUT_FORMATS, type OutputFormat } from '../output.js';
import { openCliStore } from '../store.js';
import { SearchCommand } from './darkweb-search-args.js';
import { SearchHitOutput } from '../../output/schemas.js';
import { searchHitToJson } from '../../views/darkweb.js';

export { searchHitToJson } from '../../views/darkweb.js';

interface SearchOptions {
  home?: string;
  limit: string;
  format: OutputFormat;
}

const QUERY_HELP = `
Query language:
  words                ransomware clinic          (all words, stemmed: "clinics" finds "clinic")
  phrases              "northwind family clinic"
  operators            AND, OR, NOT (upper case), -word, parentheses
  prefixes             pati*                      (no leading wildcard)
  fields               source_type:forum|market|paste|leak_site|chat
                       class:ransomware_listing|data_for_sale|access_for_sale|credential_leak|phi_exposure|chatter
                       org:"Northwind Family Clinic" (name or alias of a monitored organization)
                       email: domain: ip: ipv4: ipv6: onion: btc: xmr: eth: card: ssn: npi: dea: mbi: clia: icd10: cve:
                       credential:
                       (extracted entities; exact value, case-insensitive; value* for a prefix; email:(a OR b))
  dates                posted_at:[2026-01-01 TO 2026-03-31]  posted_at:>=2026-01-01  posted_at:<2026-02-01
Quote the whole query for the shell: vitals darkweb search 'ransomware org:"Northwind Family Clinic"'
A query may start with a NOT term: vitals darkweb search -wtb ransomware, '-wtb ransomware',
or after --: vitals darkweb search --limit 5 -- -wtb ransomware`;

export function searchCommand(): Command {
  return addHomeOption(
    new SearchCommand('search')
      .description(
        'search the dark-web documents: ranked results with highlighted snippets and the organizations they mention',
      )
      .argument('<query...>', 'the query (several arguments are joined with spaces; it may start with -word)')
      .option('--limit <n>', `most results shown (1-${MAX_SEARCH_LIMIT})`, String(DEFAULT_SEARCH_LIMIT))
      .addOption(new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS).default('table'))
      .addHelpText('after', QUERY_HELP),
  ).action(async (words: string[], options: SearchOptions) => {
    const limit = parseIntegerOption(options.limit, '--limit', 1, MAX_SEARCH_LIMIT);
    const query = words.join(' ');
    const bold = options.format === 'table' && useColour(process.stdout);
    const store = await openCliStore(resolveHome(options));
    let results: DarkwebSearchResults;
    try {
      // On a terminal, matches are bold; marks from the private-use area survive sanitising and then
      // become the escape sequences, so nothing from a document can emit its own escapes.
      const highlight = bold ? { open: '\uE000', close: '\uE001' } : { open: '[', close: ']' };
      const tree = parseSearchQuery(query);
      results = await store.darkwebSearch.search(tree, { limit, highlight });
      // An org: filter naming no monitored organization is valid but always empty: say so, since a
      // misspelt name would otherwise look like a clean record.
      for (const node of walkQuery(tree)) {
        if (node.kind !== 'filter' || node.field !== 'org' || node.prefix) continue;
        if (!(await store.organizations.findByNameOrAlias(node.value))) {
          process.stderr.write(
            `vitals: warning: no monitored organization is named "${node.value}" (see \`vitals orgs list\`)\n`,
          );
        }
      }
    } catch (error) {
      // A malformed query (or a store failure) names the command it came from.
      throw withContext(error, 'search: ');
    } finally {
      await store.close();
    }
    if (options.format === 'json')
      writeJson(process.stdout, SearchHitOutput.array(), results.hits.map(searchHitToJson));
    else if (options.format === 'jsonl')
      for (const hit of results.hits) writeJsonLine(process.stdout, SearchHitOutput, searchHitToJson(hit));
    else process.stdout.write(renderHits(results, bold));
  });
}

/** Control characters from hostile documents never reach the terminal raw. */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Three significant digits: bm25 over a small corpus gives scores far below 1, a large one above 10. */
function formatScore(score: number): string {
  return score >= 0.01 ? score.toPrecision(3) : score.toExponential(1);
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The human layout: one block per hit, rank, score, id, source, date, title; then orgs and the snippet. */
export function renderHits(results: DarkwebSearchResults, bold: boolean): string {
  const lines: string[] = [];
  const width = String(results.hits.length).length;
  results.hits.forEach((hit, index) => {
    const score = hit.score === null ? '' : `${formatScore(hit.score)}  `;
    const date = hit.postedAt === null ? 'undated' : hit.postedAt.slice(0, 10);
    lines.push(
      `${String(index + 1).padStart(width)}. ${score}${clean(hit.docId)}  ${hit.sourceType}  ${date}  ` +
        `${hit.class}  ${clean(clip(hit.title ?? '(untitled)', 100))}`,
    );
    const indent = ' '.repeat(width + 2);
    if (hit.orgs.length > 0) lines.push(`${indent}orgs: ${clean(hit.orgs.join(', '))}`);
    let snippet = clean(hit.snippet);
    if (bold) snippet = snippet.split('\uE000').join('\x1b[1m').split('\uE001').join('\x1b[22m');
    lines.push(`${indent}${snippet}`);
  });
  const order = !results.ranked
    ? 'newest first (the query has no words to rank by)'
    : results.rankedCandidates === null
      ? 'ranked by relevance'
      : `ranked by relevance among the newest ${results.rankedCandidates.toLocaleString('en-US')} matches ` +
        `(add words or filters to narrow the search)`;
  lines.push(`${results.hits.length} result${results.hits.length === 1 ? '' : 's'}, ${order}`);
  return `${lines.join('\n')}\n`;
}
