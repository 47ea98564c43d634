import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findCredentialPairs, isPasswordHash, scanCredentials } from './credential-layouts.js';
import { CREDENTIAL_LAYOUTS } from './credential-layouts.test-support.js';

describe('credential layouts', () => {
  for (const layout of CREDENTIAL_LAYOUTS) {
    test(layout.name, () => {
      const text = `# dump\n${layout.text}\n`;
      const pairs = findCredentialPairs(text);
      const pair = pairs.find((p) => p.secret === layout.secret);
      assert.ok(pair, `no pair with the secret in ${JSON.stringify(text)}: ${JSON.stringify(pairs)}`);
      assert.equal(pair.login, layout.login);
      assert.equal(text.slice(pair.secretStart, pair.secretEnd), layout.secret);
      const masked = scanCredentials(text).masks.reduce(
        (t, m) => t.slice(0, m.start) + '*'.repeat(m.end - m.start) + t.slice(m.end),
        text,
      );
      assert.ok(!masked.includes(layout.secret), masked);
    });
  }

  test('a combo list with comments and noise lines between', () => {
    const text = [
      '=== fresh combo, checked ===',
      'bob@clinic.test:first1!',
      '# comment line',
      'carol@lab.example\tsecond2?',
      '',
      'dave@clinic.test;third3',
    ].join('\n');
    assert.deepEqual(
      findCredentialPairs(text).map((p) => [p.login, p.secret]),
      [
        ['bob@clinic.test', 'first1!'],
        ['carol@lab.example', 'second2?'],
        ['dave@clinic.test', 'third3'],
      ],
    );
  });

  test('a list of user:pass lines counts even with plain secrets', () => {
    const pairs = findCredentialPairs('jdoe:sunshine\nmsmith:dragon\nkjones:letmein');
    assert.deepEqual(
      pairs.map((p) => p.secret),
      ['sunshine', 'dragon', 'letmein'],
    );
  });

  test('not credentials: prose, labels, times, URLs, chat after an e-mail', () => {
    for (const text of [
      'bob@clinic.test: please reset my account',
      'bob@clinic.test wrote:',
      'Price:0.4BTC',
      'meet at 12:30 tomorrow',
      'see https://clinic.test/path for details',
      'Contact: bob@clinic.test',
      'We lost the password, please help',
      'Dx: E11.9, seen 2024-01-02',
      'write to alice@clinic.test and bob@clinic.test today',
      'contact alice@clinic.test with questions',
      '<zed> anyone has the clinic.test combo?',
    ]) {
      assert.deepEqual(findCredentialPairs(text), [], text);
    }
  });

  test('in user:pass@host, pass@host is the secret, not an address of another pair', () => {
    const text = 'jdoe:Secret-Pw-1@portal.clinic.test/login\nurl = https://git:Secret-Pw-2@git.clinic.test/repo.git';
    const pairs = findCredentialPairs(text);
    assert.deepEqual(
      pairs.map((p) => [p.login, p.secret]),
      [
        ['jdoe', 'Secret-Pw-1'],
        ['git', 'Secret-Pw-2'],
      ],
    );
  });

  test('login:pass@host: a bare host name under a real TLD is the site, not part of the secret', () => {
    const text = 'mkeller:Tr0ub4dor-x@mail.fabrikam-health.test\nrlin:Gr33n-Door!@vpn.fabrikam-health.test\n';
    assert.deepEqual(
      findCredentialPairs(text).map((p) => [p.layout, p.login, p.secret, p.url]),
      [
        ['ulp', 'mkeller', 'Tr0ub4dor-x', 'mail.fabrikam-health.test'],
        ['ulp', 'rlin', 'Gr33n-Door!', 'vpn.fabrikam-health.test'],
      ],
    );
    // A secret holding '@' and a word that is no host stays whole.
    assert.deepEqual(
      findCredentialPairs('pk:s3cr3t@home\nzz:alpha@beta9\n').map((p) => p.secret),
      ['s3cr3t@home', 'alpha@beta9'],
    );
  });

  test('hash shapes', () => {
    assert.ok(isPasswordHash('5f4dcc3b5aa765d61d8327deb882cf99'));
    assert.ok(isPasswordHash('5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8'));
    assert.ok(isPasswordHash('$2y$10$abcdefghijklmnopqrstuuO1dVx4H3o7fY4dH2m3pIu6vCw0aQe5W'));
    assert.ok(!isPasswordHash('hunter2'));
  });

  // Its speed is measured by npm run bench (darkweb-ingest), never by a timed unit test.
  test('a 100,000-line dump yields every pair', () => {
    const text = Array.from({ length: 100_000 }, (_, i) => `user${i}@clinic.test:pw${i}!x`).join('\n');
    const scan = scanCredentials(text);
    assert.equal(scan.pairs.length, 100_000);
    assert.equal(scan.pairs.at(-1)?.login, 'user99999@clinic.test');
  });
});
