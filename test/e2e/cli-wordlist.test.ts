/**
 * `vitals scan --wordlist FILE`: a user's list replaces the built-in one, stray lines are skipped with a
 * warning, and an unusable file stops the scan before any query with one clear line.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runVitals as vitals } from '../helpers/cli.js';
import { startTestLab } from '../helpers/lab.js';

let lab: Awaited<ReturnType<typeof startTestLab>>;
before(async () => {
  lab = await startTestLab(12);
});
after(async () => {
  await lab?.stop();
});

const labArgs = () => [
  '--resolver',
  `${lab.resolverAddress}:${lab.port}`,
  '--ns-port',
  String(lab.port),
  '--allow-private',
];

interface ScanJson {
  scan: { wordlist: boolean; wordlist_file: string | null };
  assets: Array<{ host: string; discovered_by: string[] }>;
}

test('--wordlist FILE finds hosts the built-in list does not try, and warns about lines it skipped', async () => {
  // A host the truth finds only through Certificate Transparency: no built-in label leads to it.
  const org = lab.world.truth.organizations.find((o) =>
    o.hosts.some((h) => h.discoverableBy.length === 1 && h.discoverableBy[0] === 'ct'),
  );
  assert.ok(org, 'the lab has a host only CT reveals');
  const hidden = org.hosts.find((h) => h.discoverableBy.length === 1 && h.discoverableBy[0] === 'ct')!;
  const label = hidden.host.slice(0, -org.domain.length - 1);
  const file = join(lab.home, 'labels.txt');
  writeFileSync(file, `# my labels\n${label.toUpperCase()}\nnot a label\nwww\n`);

  const r = await vitals(['scan', org.domain, ...labArgs(), '--wordlist', file, '--format', 'json'], lab.home);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /--wordlist .*labels\.txt: skipped 1 line\(s\) that are not host labels: line 3 "not a label"/,
  );
  const doc = JSON.parse(r.stdout) as ScanJson;
  assert.deepEqual(doc.scan, { ...doc.scan, wordlist: true, wordlist_file: file });
  const asset = doc.assets.find((a) => a.host === hidden.host);
  assert.deepEqual(asset?.discovered_by, ['wordlist'], `${hidden.host} found by the user's list`);

  const builtIn = await vitals(['scan', org.domain, ...labArgs(), '--format', 'json'], lab.home);
  assert.equal(builtIn.code, 0, builtIn.stderr);
  const defaultDoc = JSON.parse(builtIn.stdout) as ScanJson;
  assert.equal(defaultDoc.scan.wordlist_file, null);
  assert.ok(!defaultDoc.assets.some((a) => a.host === hidden.host), 'the built-in list does not find it');
});

test('an unusable --wordlist stops the scan with one clear line and exit status 2', async () => {
  const domain = lab.world.truth.organizations[0]!.domain;
  const empty = join(lab.home, 'empty.txt');
  writeFileSync(empty, '# nothing\n\n');
  for (const [file, message] of [
    [join(lab.home, 'missing.txt'), /^vitals: --wordlist .*missing\.txt: no such file\n$/],
    [empty, /^vitals: --wordlist .*empty\.txt: no host labels in the file\n$/],
  ] as const) {
    const r = await vitals(['scan', domain, ...labArgs(), '--wordlist', file], lab.home);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
  }
});
