/**
 * `vitals dispute`, `vitals assets exclude` and `vitals audit` as a user runs them: ids copied from
 * `vitals findings`, clear errors for every mistake, and an audit log that says who did what and why.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { userInfo } from 'node:os';
import { openStore } from '../../src/store/database.js';
import { removeTempHomes, runVitals, tempHome } from '../helpers/cli.js';
import { seedOrganization } from '../helpers/seed.js';

const SEEN = '2025-06-01T08:00:00.000Z';
let home: string;

interface FindingRow {
  id: string;
  type: string;
  organization: string;
  asset: { host: string };
}

before(async () => {
  home = tempHome('vitals-disputes-');
  const store = await openStore({ home });
  try {
    await seedOrganization(
      store,
      'Mercy Clinic',
      [
        { type: 'dns.spf.missing', host: 'mercy-clinic.example' },
        { type: 'dns.dmarc.missing', host: 'mercy-clinic.example' },
        { type: 'dns.spf.missing', host: 'shared-portal.example' },
      ],
      SEEN,
    );
    await seedOrganization(store, 'Hope Hospital', [{ type: 'dns.spf.missing', host: 'shared-portal.example' }], SEEN);
  } finally {
    await store.close();
  }
});

after(() => removeTempHomes());

async function vitals(args: string[]) {
  return runVitals(args, home);
}

async function ok(args: string[]): Promise<string> {
  const run = await vitals(args);
  assert.equal(run.code, 0, `vitals ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

/** Runs a command that must fail with exit code 2 and one clear line matching `message`. */
async function fails(args: string[], message: RegExp): Promise<void> {
  const run = await vitals(args);
  assert.equal(run.code, 2, `vitals ${args.join(' ')} should fail: ${run.stdout}`);
  assert.match(run.stderr, message);
  assert.doesNotMatch(run.stderr, /at .*\.js:\d+/, 'no stack trace');
}

async function findings(): Promise<FindingRow[]> {
  return JSON.parse(await ok(['findings', '--format', 'json'])) as FindingRow[];
}

test('a dispute is opened from the id `vitals findings` prints, decided once, and listed with its state', {
  timeout: 120_000,
}, async () => {
  const all = await findings();
  const spf = all.find(
    (f) => f.organization === 'Mercy Clinic' && f.asset.host === 'mercy-clinic.example' && f.type === 'dns.spf.missing',
  );
  assert.ok(spf, 'Mercy Clinic has its SPF finding');
  const short = spf.id.slice(0, 8);
  // The table prints the first 8 characters of each id, the form `dispute add` takes.
  assert.match(await ok(['findings', '--org', 'Mercy Clinic']), new RegExp(`^${short}  `, 'm'));

  const added = await ok([
    'dispute',
    'add',
    short,
    '--reason',
    'compensating_control',
    '--note',
    'outbound mail goes through the signing gateway',
    '--expires',
    '2999-12-31',
    '--by',
    'alice',
  ]);
  assert.match(
    added,
    /dispute [0-9a-f]{8} opened by alice: dns\.spf\.missing on mercy-clinic\.example \(Mercy Clinic\)/,
  );
  assert.match(added, /keeps counting in the score, marked disputed/);

  let listed = JSON.parse(await ok(['dispute', 'list', '--format', 'json'])) as Record<string, unknown>[];
  assert.equal(listed.length, 1);
  const dispute = listed[0]!;
  assert.equal(dispute['finding_id'], spf.id);
  assert.equal(dispute['status'], 'open');
  assert.equal(dispute['reason'], 'compensating_control');
  assert.equal(dispute['created_by'], 'alice');
  assert.equal(dispute['expires_at'], '3000-01-01T00:00:00.000Z', 'a date means through that day, UTC');
  const disputeId = String(dispute['id']);

  await fails(['dispute', 'add', spf.id, '--reason', 'fixed', '--note', 'again'], /already has an open dispute/);
  assert.match(
    await ok(['dispute', 'resolve', disputeId.slice(0, 8), '--by', 'bob', '--note', 'gateway verified']),
    /dispute [0-9a-f]{8} accepted by bob: .*\nthe finding no longer counts in the score until 3000-01-01/,
  );
  await fails(['dispute', 'reject', disputeId, '--by', 'carol'], /already accepted by bob on 20\d\d-/);
  await fails(['dispute', 'resolve', disputeId], /already accepted/);

  listed = JSON.parse(await ok(['dispute', 'list', '--status', 'accepted', '--format', 'json'])) as Record<
    string,
    unknown
  >[];
  assert.deepEqual(
    listed.map((d) => [d['id'], d['decided_by'], d['decision_note']]),
    [[disputeId, 'bob', 'gateway verified']],
  );
  assert.deepEqual(JSON.parse(await ok(['dispute', 'list', '--status', 'open', '--format', 'json'])), []);
  const table = await ok(['dispute', 'list', '--org', 'Mercy Clinic']);
  assert.match(table, /^id\s+status\s+organization/m);
  assert.match(table, new RegExp(`^${disputeId.slice(0, 8)}\\s+accepted\\s+Mercy Clinic\\s+dns\\.spf\\.missing`, 'm'));
  assert.match(table, /1 disputes/);
});

test('without --by, the OS user name is recorded; rejecting leaves a finding disputable again', {
  timeout: 120_000,
}, async () => {
  const dmarc = (await findings()).find((f) => f.type === 'dns.dmarc.missing');
  assert.ok(dmarc);
  await ok(['dispute', 'add', dmarc.id, '--reason', 'false_positive', '--note', 'we publish p=reject']);
  const [dispute] = JSON.parse(await ok(['dispute', 'list', '--status', 'open', '--format', 'json'])) as Record<
    string,
    unknown
  >[];
  assert.equal(dispute?.['created_by'], userInfo().username);
  assert.match(await ok(['dispute', 'reject', String(dispute?.['id']), '--note', 'record is absent']), /rejected/);
  assert.match(await ok(['dispute', 'add', dmarc.id, '--reason', 'accepted_risk', '--note', 'until Q3']), /opened/);
});

test('clear errors: unknown finding, bad reason, bad or past expiry, short id, unknown organization', {
  timeout: 120_000,
}, async () => {
  const any = (await findings())[0]!;
  const add = (id: string, ...extra: string[]) => ['dispute', 'add', id, '--note', 'n', ...extra];
  await fails(
    add('0123456789abcdef', '--reason', 'fixed'),
    /no finding with id "0123456789abcdef" \(see `vitals findings`/,
  );
  await fails(add(any.id, '--reason', 'because'), /'because' is invalid.*false_positive, compensating_control/s);
  await fails(add(any.id, '--reason', 'fixed', '--expires', '2020-01-01'), /--expires 2020-01-01 is in the past/);
  await fails(add(any.id, '--reason', 'fixed', '--expires', '2026-02-30'), /--expires "2026-02-30" is not a date/);
  await fails(add(any.id.slice(0, 5), '--reason', 'fixed'), /too short: give at least 8 characters/);
  await fails(['dispute', 'add', any.id, '--reason', 'fixed'], /required option '--note <text>'/);
  await fails(['dispute', 'resolve', 'feedfacefeedface'], /no dispute with id "feedfacefeedface"/);
  await fails(['dispute', 'list', '--org', 'Nowhere Clinic'], /no organization named "Nowhere Clinic"/);
});

test('assets exclude: the owner is found from the host, asked for when ambiguous; typos are refused', {
  timeout: 120_000,
}, async () => {
  await fails(
    ['assets', 'exclude', 'shared-portal.example', '--reason', 'the vendor runs it'],
    /several organizations \(Hope Hospital, Mercy Clinic\): say which with --org/,
  );
  await fails(
    ['assets', 'exclude', 'nowhere.example', '--reason', 'x'],
    /no organization has an asset nowhere\.example/,
  );
  await fails(
    ['assets', 'exclude', 'mercy-clinic.example', '--org', 'Hope Hospital', '--reason', 'x'],
    /Hope Hospital has no asset mercy-clinic\.example/,
  );
  assert.match(
    await ok([
      'assets',
      'exclude',
      'Shared-Portal.example',
      '--org',
      'Mercy Clinic',
      '--reason',
      'the vendor runs it for several clinics',
      '--by',
      'dana',
    ]),
    /shared-portal\.example excluded from Mercy Clinic by dana/,
  );
  await fails(
    ['assets', 'exclude', 'shared-portal.example', '--org', 'Mercy Clinic', '--reason', 'again'],
    /already excluded from Mercy Clinic \(by dana/,
  );
  const excluded = JSON.parse(await ok(['assets', 'excluded', '--format', 'json'])) as Record<string, unknown>[];
  assert.deepEqual(
    excluded.map((e) => [e['organization'], e['host'], e['created_by']]),
    [['Mercy Clinic', 'shared-portal.example', 'dana']],
  );
});

test('vitals audit: every dispute, decision and exclusion in order, with who, when and why', {
  timeout: 120_000,
}, async () => {
  const entries = JSON.parse(await ok(['audit', '--format', 'json'])) as Record<string, unknown>[];
  assert.deepEqual(
    entries.map((e) => [e['seq'], e['action'], e['finding_type'] ?? e['asset_host'], e['reason']]),
    [
      [1, 'dispute.add', 'dns.spf.missing', 'compensating_control'],
      [2, 'dispute.accept', 'dns.spf.missing', 'compensating_control'],
      [3, 'dispute.add', 'dns.dmarc.missing', 'false_positive'],
      [4, 'dispute.reject', 'dns.dmarc.missing', 'false_positive'],
      [5, 'dispute.add', 'dns.dmarc.missing', 'accepted_risk'],
      [6, 'asset.exclude', 'shared-portal.example', 'the vendor runs it for several clinics'],
    ],
  );
  assert.deepEqual(
    entries.map((e) => e['actor']),
    ['alice', 'bob', userInfo().username, userInfo().username, userInfo().username, 'dana'],
  );
  for (const e of entries) assert.match(String(e['at']), /^20\d\d-\d\d-\d\dT/);
  const table = await ok(['audit', '--org', 'Mercy Clinic']);
  assert.match(
    table,
    new RegExp(
      String.raw`^\s*2\s+20\d\d-\d\d-\d\d \d\d:\d\d:\d\d\s+bob\s+dispute\.accept\s+Mercy Clinic\s+` +
        String.raw`dns\.spf\.missing on mercy-clinic\.example\s+compensating_control: gateway verified$`,
      'm',
    ),
  );
  assert.match(table, /6 entries/);
  assert.match(await ok(['audit', '--org', 'Hope Hospital']), /0 entries/);
});

test('vitals findings shows each finding’s standing: disputed, accepted, on an excluded host, or none', {
  timeout: 120_000,
}, async () => {
  const rows = JSON.parse(await ok(['findings', '--format', 'json'])) as (FindingRow & {
    dispute: { status: string; reason: string } | null;
    asset_excluded: boolean;
  })[];
  const standing = rows
    .map((f) => `${f.organization} ${f.type} ${f.asset.host} ${f.dispute?.status ?? '-'} ${f.asset_excluded}`)
    .sort();
  assert.deepEqual(standing, [
    'Hope Hospital dns.spf.missing shared-portal.example - false',
    'Mercy Clinic dns.dmarc.missing mercy-clinic.example open false',
    'Mercy Clinic dns.spf.missing mercy-clinic.example accepted false',
    'Mercy Clinic dns.spf.missing shared-portal.example - true',
  ]);
  const table = await ok(['findings', '--org', 'Mercy Clinic']);
  assert.match(table, /dns\.dmarc\.missing .* disputed \(accepted_risk\)$/m);
  assert.match(table, /dns\.spf\.missing\s+mercy-clinic\.example .* accepted \(compensating_control\)$/m);
  assert.match(table, /shared-portal\.example .* host excluded$/m);
});

test('the scorecard lists the disputes in force and the excluded hosts; decisions left score snapshots', {
  timeout: 120_000,
}, async () => {
  const card = JSON.parse(await ok(['scorecard', 'Mercy Clinic', '--format', 'json'])) as {
    disputes: { type: string; status: string; reason: string; points_lost: number | null }[];
    excluded_hosts: string[];
    findings: { type: string; disputed: boolean; asset: string }[];
  };
  assert.deepEqual(
    card.disputes.map((d) => [d.status, d.type, d.reason, d.points_lost === null ? 'not counted' : 'counted']),
    [
      ['accepted', 'dns.spf.missing', 'compensating_control', 'not counted'],
      ['open', 'dns.dmarc.missing', 'accepted_risk', 'counted'],
    ],
  );
  assert.deepEqual(card.excluded_hosts, ['shared-portal.example']);
  assert.deepEqual(
    card.findings.map((f) => [f.type, f.disputed]),
    [['dns.dmarc.missing', true]],
  );
  const table = await ok(['scorecard', 'Mercy Clinic']);
  assert.match(table, /^disputes \(an open dispute still counts until it is accepted\)$/m);
  assert.match(table, /^disputed +dns\.dmarc\.missing +mercy-clinic\.example +accepted_risk +\d+\.\d\d$/m);
  assert.match(
    table,
    /^accepted +dns\.spf\.missing +mercy-clinic\.example +compensating_control +not counted +2999-12-31$/m,
  );
  assert.match(table, /^excluded hosts \(not counted\): shared-portal\.example$/m);

  const store = await openStore({ home });
  try {
    const mercy = await store.organizations.getByName('Mercy Clinic');
    const history = await store.scoreSnapshots.snapshotHistory(mercy!.id);
    // resolve, reject, exclude: one snapshot each (opening a dispute changes no score).
    assert.deepEqual(
      history.map((s) => s.reason),
      ['dispute', 'dispute', 'exclusion'],
    );
  } finally {
    await store.close();
  }
});
