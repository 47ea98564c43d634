/**
 * Secrets never in clear (issue #9 section 3): every credential layout of a dump (combo lines with any
 * separator, ULP lists, URL user info, tables with a password column, labelled pairs, stealer-log
 * blocks, a pair inside a sentence, a pair in the title) is ingested through the CLI, with and without
 * analysis; then the database files' bytes and every command's output (ingest, mentions, entities,
 * search, watch alerts) are searched for the planted passwords.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CREDENTIAL_LAYOUTS } from '../../src/darkweb/extract/credential-layouts.test-support.js';
import { removeTempHomes, runVitals, tempHome } from '../helpers/cli.js';

after(() => removeTempHomes());

const TITLE_SECRET = 'Title-Pw-97';
const URL_SECRET = 'Url-Pw-98';

function documents(prefix: string): string {
  const docs = CREDENTIAL_LAYOUTS.map((layout, i) => ({
    id: `${prefix}-${i}`,
    source: 'paste-site',
    source_type: 'paste',
    title: `dump ${layout.name}`,
    text: `fresh leak from northwind-clinic.test staff\n${layout.text}\n-- end --`,
  }));
  docs.push({
    id: `${prefix}-title`,
    source: 'forum',
    source_type: 'forum',
    title: `admin@northwind-clinic.test:${TITLE_SECRET}`,
    text: 'see the title, works on the northwind-clinic.test webmail',
  });
  docs.push({
    id: `${prefix}-url`,
    source: 'forum',
    source_type: 'forum',
    url: `https://backup:${URL_SECRET}@files.northwind-clinic.test/dump`,
    title: 'mirror',
    text: 'mirror of the northwind-clinic.test share is up',
  } as (typeof docs)[number]);
  return docs.map((d) => JSON.stringify(d)).join('\n');
}

const SECRETS = [...CREDENTIAL_LAYOUTS.map((l) => l.secret), TITLE_SECRET, URL_SECRET];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function assertNoSecret(where: string, text: string | Buffer): void {
  for (const secret of SECRETS) {
    const found = typeof text === 'string' ? text.includes(secret) : text.includes(Buffer.from(secret, 'utf8'));
    assert.ok(!found, `${where} holds the password ${secret}`);
  }
}

test('no planted password reaches the database files or any command output', { timeout: 300_000 }, async () => {
  const home = tempHome('vitals-secrets-');
  writeFileSync(
    join(home, 'orgs.csv'),
    'name,domains,sector,telehealth,aliases,tags\nNorthwind Family Clinic,northwind-clinic.test,clinic,false,,\n',
  );
  writeFileSync(join(home, 'analyzed.jsonl'), documents('a'));
  writeFileSync(join(home, 'raw.jsonl'), documents('r').replaceAll('fresh leak', 'unanalyzed leak'));
  const outputs: [string, string][] = [];
  const run = async (args: string[]): Promise<string> => {
    const r = await runVitals(args, home, 120_000);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    outputs.push([args.join(' '), r.stdout + r.stderr]);
    return r.stdout;
  };

  await run(['orgs', 'import', join(home, 'orgs.csv')]);
  await run(['darkweb', 'ingest', join(home, 'analyzed.jsonl'), '--format', 'json']);
  await run(['darkweb', 'ingest', join(home, 'raw.jsonl'), '--no-analyze']);
  await run(['darkweb', 'watch', 'add', '--term', 'dump', '--name', 'dumps']);
  await run(['darkweb', 'watch', 'run', '--no-deliver']);
  await run(['darkweb', 'watch', 'alerts', '--format', 'json']);
  const mentions = JSON.parse(await run(['darkweb', 'mentions', '--format', 'json'])) as { class: string }[];
  assert.ok(mentions.length >= CREDENTIAL_LAYOUTS.length, `${mentions.length} mentions`);
  await run(['darkweb', 'mentions']);
  const entities = JSON.parse(await run(['darkweb', 'entities', '--format', 'json'])) as {
    type: string;
    value: string;
  }[];
  const credentials = entities.filter((e) => e.type === 'credential');
  const pairs = CREDENTIAL_LAYOUTS.filter((l) => l.login !== '').length;
  assert.ok(credentials.length >= pairs, `${credentials.length} credential entities`);
  assert.ok(entities.some((e) => e.type === 'email' && e.value === 'alice@clinic.test'));
  await run(['darkweb', 'entities', '--format', 'csv']);
  await run(['darkweb', 'entities', '--type', 'credential', '--format', 'jsonl']);
  await run(['darkweb', 'search', 'dump', '--format', 'json', '--limit', '100']);
  await run(['darkweb', 'search', 'leak']);
  for (const secret of SECRETS.slice(0, 6)) {
    const hits = JSON.parse(await run(['darkweb', 'search', `"${secret}"`, '--format', 'json'])) as unknown[];
    assert.deepEqual(hits, [], `a search for ${secret} finds a document`);
  }

  for (const [command, output] of outputs) assertNoSecret(`the output of ${command}`, output);
  const files = filesUnder(home).filter((f) => !f.endsWith('.jsonl'));
  assert.ok(
    files.some((f) => /\.db$|\.sqlite/.test(f)),
    `no database file among ${files.join(', ')}`,
  );
  for (const file of files) assertNoSecret(file, readFileSync(file));
});
