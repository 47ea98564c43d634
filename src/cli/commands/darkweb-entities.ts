/**
 * `vitals darkweb entities`: the identifiers extracted from dark-web documents (e-mail addresses,
 * domains, IPs, onions, wallets, cards, SSNs, NPIs, DEA numbers, MBIs, CLIA numbers, ICD-10 codes,
 * CVEs, credential pairs, PHI indicators), for export to MISP and SIEMs. A credential pair's e-mail is
 * also listed as an `email` (analysis stores it so); its secret is never printed: the stored text has
 * it masked, and the mask is printed at a fixed length so not even its length shows.
 */
import { Command, Option } from 'commander';
import { ENTITY_TYPES } from '../../core/darkweb.js';
import { SECRET_MASK } from '../../darkweb/extract/credential.js';
import type { EntityRecord } from '../../store/repos/darkweb.repo.js';
import { EntityOutput } from '../../output/schemas.js';
import { resolveHome } from '../context.js';
import { addHomeOption } from '../options.js';
import { writeJsonLine, writeTable } from '../output.js';
import { openCliStore } from '../store.js';

const FORMATS = ['table', 'json', 'jsonl', 'csv'] as const;
type EntitiesFormat = (typeof FORMATS)[number];

interface EntitiesOptions {
  home?: string;
  type?: string;
  doc?: string;
  format: EntitiesFormat;
}

const CSV_COLUMNS = ['doc_id', 'type', 'value', 'normalized', 'start', 'end', 'confidence'] as const;

/** The JSON shape of one entity: masks of any length become the fixed mask. */
export function entityToJson(e: EntityRecord): Record<string, unknown> {
  return {
    doc_id: e.documentId,
    type: e.type,
    value: e.type === 'credential' ? e.text.replace(/\*{2,}/g, SECRET_MASK) : e.text,
    normalized: e.value,
    start: e.start,
    end: e.end,
    confidence: e.confidence,
  };
}

function csvField(value: unknown): string {
  const text = String(value ?? '');
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The `entities` subcommand. */
export function entitiesCommand(): Command {
  return addHomeOption(
    new Command('entities')
      .description('list the identifiers extracted from dark-web documents (for MISP, SIEMs)')
      .addOption(new Option('--type <type>', 'only entities of this type').choices(ENTITY_TYPES))
      .option('--doc <id>', 'only entities of this document')
      .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('table')),
  ).action(async (options: EntitiesOptions) => {
    const store = await openCliStore(resolveHome(options));
    try {
      const filter: { type?: string; documentId?: string } = {};
      if (options.type !== undefined) filter.type = options.type;
      if (options.doc !== undefined) filter.documentId = options.doc;
      const out = process.stdout;
      if (options.format === 'table') {
        const rows: EntityRecord[] = [];
        for await (const e of store.darkweb.streamEntities(filter)) rows.push(e);
        writeTable(out, rows.map(entityToJson), [
          { header: 'document', cell: (r) => String(r['doc_id']) },
          { header: 'type', cell: (r) => String(r['type']) },
          { header: 'value', cell: (r) => String(r['value']) },
          { header: 'conf', cell: (r) => Number(r['confidence']).toFixed(2), align: 'right' },
        ]);
        out.write(`${rows.length} entities\n`);
        return;
      }
      if (options.format === 'csv') out.write(`${CSV_COLUMNS.join(',')}\r\n`);
      if (options.format === 'json') out.write('[');
      let count = 0;
      for await (const e of store.darkweb.streamEntities(filter)) {
        const json = entityToJson(e);
        if (options.format === 'jsonl') writeJsonLine(out, EntityOutput, json);
        else if (options.format === 'csv') {
          EntityOutput.parse(json);
          out.write(`${CSV_COLUMNS.map((c) => csvField(json[c])).join(',')}\r\n`);
        } else {
          EntityOutput.parse(json);
          out.write(`${count === 0 ? '\n' : ',\n'}  ${JSON.stringify(json)}`);
        }
        count += 1;
      }
      if (options.format === 'json') out.write(count === 0 ? ']\n' : '\n]\n');
    } finally {
      await store.close();
    }
  });
}
