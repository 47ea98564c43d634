import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planSources, readSource, telegramText } from './readers.js';
import type { SourceFile, SourceItem } from './readers.js';

async function collect(
  file: SourceFile,
  from = { byteOffset: 0, line: 0 },
  defaults: Parameters<typeof readSource>[2] = {},
): Promise<SourceItem[]> {
  const items: SourceItem[] = [];
  for await (const item of readSource(file, from, defaults)) items.push(item);
  return items;
}

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'vitals-readers-'));
}

describe('JSONL reader', () => {
  const dir = scratch();
  const path = join(dir, 'docs.jsonl');
  const lines = [
    JSON.stringify({
      id: 'a1',
      source: 'breachforum',
      source_type: 'forum',
      url: 'http://x.onion/1',
      title: 'DB',
      author: 'z',
      posted_at: '2025-03-01',
      text: 'selling DB',
    }),
    '',
    '{not json',
    JSON.stringify({ source: 'paste', source_type: 'paste', html: '<p>héllo</p>' }),
    JSON.stringify({ source: 'm', source_type: 'bazaar', text: 'x' }),
    JSON.stringify({ id: 'a4', source: 'm', source_type: 'market', text: 'no newline at end', posted_at: 'yesterday' }),
  ];
  writeFileSync(path, `\ufeff${lines.join('\n')}`);

  test('reads documents, reports bad lines with their line number, and gives resumable byte offsets', async () => {
    const { files } = await planSources([path]);
    assert.equal(files.length, 1);
    const file = files[0]!;
    assert.equal(file.kind, 'jsonl');
    const items = await collect(file);
    assert.equal(items.length, 6);
    assert.deepEqual(items[0]!.doc, {
      id: 'a1',
      source: 'breachforum',
      source_type: 'forum',
      url: 'http://x.onion/1',
      title: 'DB',
      author: 'z',
      posted_at: '2025-03-01T00:00:00.000Z',
      text: 'selling DB',
    });
    assert.equal(items[1]!.doc, undefined);
    assert.equal(items[1]!.rejected, undefined, 'a blank line is skipped silently');
    assert.match(items[2]!.rejected ?? '', /invalid JSON/);
    assert.equal(items[2]!.where, `${path}:3`);
    assert.equal(items[3]!.doc?.html, '<p>héllo</p>');
    assert.match(items[4]!.rejected ?? '', /source_type must be one of/);
    assert.match(items[5]!.rejected ?? '', /posted_at is not an ISO-8601 date/);
    assert.deepEqual(items[5]!.next, { byteOffset: file.size, line: 6 });

    // Resuming from any item's position yields exactly the items after it.
    for (let k = 0; k < items.length; k++) {
      const rest = await collect(file, items[k]!.next);
      assert.deepEqual(rest, items.slice(k + 1));
    }
  });
});

describe('HTML folder reader', () => {
  test('walks a folder in order, one document per page, scripts and styles dropped, other files skipped', async () => {
    const dir = scratch();
    mkdirSync(join(dir, 'b'));
    mkdirSync(join(dir, '.hidden'));
    writeFileSync(
      join(dir, 'a.html'),
      '<html><head><title>Victim: ' +
        'Northwind</title><style>p{}</style><script>evil()</script></head><body><p>Data will be published in ' +
        '3 days</p></body></html>',
    );
    writeFileSync(
      join(dir, 'b', 'c.htm'),
      '<link rel="canonical" href="http://leaks.onion/post/7"><div>second page</div>',
    );
    writeFileSync(join(dir, 'b', 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0]));
    writeFileSync(join(dir, '.hidden', 'x.html'), '<p>hidden</p>');
    const plan = await planSources([dir]);
    assert.deepEqual(
      plan.files.map((f) => f.path),
      [join(dir, 'a.html'), join(dir, 'b', 'c.htm')],
    );
    assert.deepEqual(plan.skipped, [join(dir, 'b', 'logo.png')]);
    const first = await collect(plan.files[0]!);
    assert.equal(first.length, 1);
    assert.deepEqual(first[0]!.doc, {
      source: 'a.html',
      source_type: 'leak_site',
      title: 'Victim: Northwind',
      text: 'Data will be published in 3 days',
    });
    const second = await collect(plan.files[1]!);
    assert.equal(second[0]!.doc?.source, 'leaks.onion');
    assert.equal(second[0]!.doc?.url, 'http://leaks.onion/post/7');
    // Done once the checkpoint holds the file's size.
    assert.deepEqual(await collect(plan.files[0]!, first[0]!.next), []);
  });
});

describe('HTML source type', () => {
  test('a saved page is typed from its words as a crawled page is; --source-type still decides', async () => {
    const dir = scratch();
    const pages: [string, string][] = [
      [
        'index.html',
        '<title>Grimlock - victims</title><ul><li>Fernhill Dairy Co-op <b>published</b></li>' +
          '<li>Oldbrook Clinic <b>published</b> 4 days left</li></ul>',
      ],
      [
        'item-91.html',
        '<title>Item 91 | Some Bazaar</title><dl><dt>Price</dt><dd>700 USD</dd><dt>Vendor</dt><dd>nobody</dd>' +
          '<dt>Escrow</dt><dd>yes</dd></dl>',
      ],
      ['t.html', '<title>Thread: who uses Citrix?</title><p>reply 1</p><p>quote from another member</p>'],
      ['blank.html', '<p>nothing to go by</p>'],
    ];
    for (const [name, html] of pages) writeFileSync(join(dir, name), html);
    const types = async (defaults: { sourceType?: 'paste' } = {}): Promise<(string | undefined)[]> => {
      const plan = await planSources(pages.map(([name]) => join(dir, name)));
      const docs = await Promise.all(plan.files.map((f) => collect(f, undefined, defaults)));
      return docs.map((items) => items[0]!.doc?.source_type);
    };
    assert.deepEqual(await types(), ['leak_site', 'market', 'forum', 'forum']);
    assert.deepEqual(await types({ sourceType: 'paste' }), ['paste', 'paste', 'paste', 'paste']);
  });
});

describe('paste reader', () => {
  test(
    'a text file is one paste; a named file of unknown extension is read when it is text, refused when ' + 'binary',
    async () => {
      const dir = scratch();
      writeFileSync(join(dir, 'dump.txt'), 'jane@northwind.test:hunter22\nbob@northwind.test:letmein1\n');
      writeFileSync(join(dir, 'combo'), 'plain text without an extension');
      writeFileSync(join(dir, 'blob.bin'), Buffer.from([1, 2, 0, 3]));
      const plan = await planSources([join(dir, 'dump.txt'), join(dir, 'combo')]);
      assert.deepEqual(
        plan.files.map((f) => f.kind),
        ['paste', 'paste'],
      );
      const items = await collect(plan.files[0]!);
      assert.deepEqual(items[0]!.doc, {
        source: 'dump.txt',
        source_type: 'paste',
        text: 'jane@northwind.test:hunter22\nbob@northwind.test:letmein1\n',
      });
      await assert.rejects(planSources([join(dir, 'blob.bin')]), /binary file/);
      await assert.rejects(planSources([join(dir, 'missing.txt')]), /no such file/);
    },
  );
});

describe('Telegram export reader', () => {
  test(
    'messages become chat documents with stable ids; fragments joined; service and empty messages ' + 'skipped',
    async () => {
      const dir = scratch();
      const path = join(dir, 'result.json');
      writeFileSync(
        path,
        JSON.stringify({
          name: 'Combo Market',
          type: 'public_channel',
          id: 1234567,
          messages: [
            { id: 1, type: 'service', date: '2025-01-01T00:00:00', action: 'create_channel' },
            {
              id: 2,
              type: 'message',
              date: '2025-01-02T10:00:00',
              date_unixtime: '1735812000',
              from: 'seller',
              text: 'fresh RDP to a hospital',
            },
            {
              id: 3,
              type: 'message',
              date: '2025-01-03T11:00:00',
              from: 'seller',
              text: ['see ', { type: 'link', text: 'http://x.onion' }, ' now'],
            },
            { id: 4, type: 'message', date: '2025-01-04T12:00:00', text: '' },
          ],
        }),
      );
      const { files } = await planSources([dir]);
      assert.equal(files[0]!.kind, 'telegram');
      const items = await collect(files[0]!);
      const docs = items.flatMap((i) => (i.doc ? [i.doc] : []));
      assert.deepEqual(docs, [
        {
          id: 'telegram-1234567-2',
          source: 'telegram:Combo Market',
          source_type: 'chat',
          author: 'seller',
          posted_at: '2025-01-02T10:00:00.000Z',
          text: 'fresh RDP to a hospital',
        },
        {
          id: 'telegram-1234567-3',
          source: 'telegram:Combo Market',
          source_type: 'chat',
          author: 'seller',
          posted_at: '2025-01-03T11:00:00.000Z',
          text: 'see http://x.onion now',
        },
      ]);
      assert.deepEqual(
        items.map((i) => i.next.line),
        [1, 2, 3, 4],
      );
      const rest = await collect(files[0]!, items[1]!.next);
      assert.deepEqual(
        rest.flatMap((i) => (i.doc ? [i.doc.id] : [])),
        ['telegram-1234567-3'],
      );
    },
  );

  test('a JSON file that is not an export is refused with a pointer to JSONL', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'package.json'), '{"name":"x"}');
    const { files } = await planSources([dir]);
    await assert.rejects(collect(files[0]!), /not a Telegram chat export/);
  });

  test('text as a string or as fragments', () => {
    assert.equal(telegramText('plain'), 'plain');
    assert.equal(telegramText(['a', { type: 'bold', text: 'b' }, { type: 'x' }, 7]), 'ab');
    assert.equal(telegramText(null), '');
  });
});
