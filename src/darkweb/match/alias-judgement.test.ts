import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { demoteFromCorpus, isShortAcronym, judgeAliases, loadPlaceNames } from './alias-judgement.js';

function judge(
  aliases: string[],
  extra: Partial<{ ambiguousAliases: string[]; unambiguousAliases: string[] }> = {},
  others: { name: string; aliases: string[] }[] = [],
): Record<string, string> {
  const [first] = judgeAliases([{ name: 'Zylvaran Quillport Medical Center', aliases, ...extra }, ...others]);
  return Object.fromEntries(first!.map((j) => [j.alias, `${j.ambiguous ? 'ambiguous' : 'unambiguous'} ${j.reason}`]));
}

describe('alias judgement at import', () => {
  test('English words and phrases of the packaged word list are ambiguous', () => {
    assert.deepEqual(judge(['Summit', 'Mercy Health', 'Zylvaran']), {
      Summit: 'ambiguous english_word',
      'Mercy Health': 'ambiguous english_word',
      Zylvaran: 'unambiguous none',
    });
  });

  test('place names of the GeoNames gazetteer are ambiguous', () => {
    assert.deepEqual(judge(['Springfield', 'Albuquerque', 'Xqzvillex']), {
      Springfield: 'ambiguous place_name',
      Albuquerque: 'ambiguous place_name',
      Xqzvillex: 'unambiguous none',
    });
  });

  test('all-capitals acronyms of up to five letters are ambiguous', () => {
    assert.deepEqual(judge(['NFC', 'UCSF', 'A&M', 'ZQMCX', 'ZQMCXW']), {
      NFC: 'ambiguous acronym',
      UCSF: 'ambiguous acronym',
      'A&M': 'ambiguous acronym',
      ZQMCX: 'ambiguous acronym',
      ZQMCXW: 'unambiguous none',
    });
    assert.ok(!isShortAcronym('Nfc'));
  });

  test('an alias two organizations use is ambiguous, naming the other', () => {
    const [first] = judgeAliases([
      { name: 'Zylvaran Heart Institute', aliases: ['Zylvaran'] },
      { name: 'Zylvaran Kids', aliases: ['Zylvaran'] },
    ]);
    assert.equal(first![0]!.reason, 'shared');
    assert.match(first![0]!.detail, /Zylvaran Kids/);
  });

  test('import-file overrides win, and their aliases are aliases too', () => {
    assert.deepEqual(judge(['Summit'], { unambiguousAliases: ['Summit'], ambiguousAliases: ['Zylvaran'] }), {
      Summit: 'unambiguous override',
      Zylvaran: 'ambiguous override',
    });
  });

  test('without the gazetteer (ingestion), places are not looked up', () => {
    const [first] = judgeAliases([{ name: 'Zylvaran Clinic', aliases: ['Springfield'] }], { gazetteer: false });
    assert.equal(first![0]!.reason, 'none');
  });

  test('the gazetteer loads in bounded time and memory', () => {
    const before = process.memoryUsage().heapUsed;
    const started = Date.now();
    const places = loadPlaceNames();
    const ms = Date.now() - started;
    const mb = (process.memoryUsage().heapUsed - before) / 1e6;
    console.log(`gazetteer: ${places.size} names in ${ms} ms, heap +${mb.toFixed(0)} MB`);
    assert.ok(places.size > 100_000);
    assert.ok(ms < 15_000, `${ms} ms`);
  });
});

describe('corpus evidence', () => {
  test('an alias that mostly stands alone is demoted once it has been seen enough', () => {
    assert.equal(demoteFromCorpus({ occurrences: 10, standalone: 8 }), true);
    assert.equal(demoteFromCorpus({ occurrences: 10, standalone: 5 }), false);
    assert.equal(demoteFromCorpus({ occurrences: 3, standalone: 3 }), false);
  });
});
