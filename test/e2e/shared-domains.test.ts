/** `vitals orgs import` refuses two organizations that own one domain unless --allow-shared-domains says so. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeTempHomes, runVitals, tempHome } from '../helpers/cli.js';

after(removeTempHomes);

const HEADER = 'name,domains,sector,telehealth\n';

async function orgNames(home: string): Promise<string[]> {
  const list = await runVitals(['orgs', 'list', '--format', 'json'], home);
  return (JSON.parse(list.stdout) as Array<{ name: string }>).map((o) => o.name).sort();
}

test(
  'a shared domain in one file is refused, naming both organizations and the domain; the option allows ' + 'it',
  async () => {
    const home = tempHome();
    const file = join(home, 'portfolio.csv');
    writeFileSync(
      file,
      `${HEADER}Mercy Clinic,mercy.example;group.example,clinic,no\nMercy Lab,group.example,laboratory,no\n`,
    );
    const refused = await runVitals(['orgs', 'import', file], home);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /group\.example is shared by "Mercy Clinic" and "Mercy Lab"/);
    assert.match(refused.stderr, /--allow-shared-domains/);
    assert.deepEqual(await orgNames(home), [], 'nothing imported');

    const allowed = await runVitals(['orgs', 'import', file, '--allow-shared-domains'], home);
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.match(allowed.stderr, /note: group\.example is shared by "Mercy Clinic" and "Mercy Lab"/);
    assert.deepEqual(await orgNames(home), ['Mercy Clinic', 'Mercy Lab']);
  },
);

test(
  'a domain already owned by a stored organization is refused; re-importing the same file is not ' + 'sharing',
  async () => {
    const home = tempHome();
    const first = join(home, 'first.csv');
    writeFileSync(first, `${HEADER}Harbor Hospital,harbor.example,hospital,no\n`);
    assert.equal((await runVitals(['orgs', 'import', first], home)).code, 0);
    assert.equal((await runVitals(['orgs', 'import', first], home)).code, 0, 'the same organization again');
    const second = join(home, 'second.csv');
    writeFileSync(second, `${HEADER}Harbor Telehealth,harbor.example,telehealth,yes\n`);
    const refused = await runVitals(['orgs', 'import', second], home);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /harbor\.example is shared by "Harbor Telehealth" and "Harbor Hospital"/);
    assert.deepEqual(await orgNames(home), ['Harbor Hospital']);
  },
);
