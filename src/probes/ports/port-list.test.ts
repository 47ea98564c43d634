import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PORTS, parsePortList } from './port-list.js';

describe('port lists', () => {
  test("the default list is the issue's healthcare list, ascending", () => {
    assert.equal(DEFAULT_PORTS.length, 36);
    assert.deepEqual(
      [...DEFAULT_PORTS],
      [...DEFAULT_PORTS].sort((a, b) => a - b),
    );
    for (const port of [104, 2575, 3389, 445, 11112, 27017]) assert.ok(DEFAULT_PORTS.includes(port));
  });

  const good: Array<[string, number[]]> = [
    ['22', [22]],
    ['80,22,80', [22, 80]],
    ['8000-8003, 21', [21, 8000, 8001, 8002, 8003]],
    ['65535', [65535]],
  ];
  for (const [text, ports] of good) test(`"${text}"`, () => assert.deepEqual(parsePortList(text), ports));

  const bad: Array<[string, RegExp]> = [
    ['', /empty/],
    ['0', /outside 1-65535/],
    ['70000', /outside/],
    ['22,,80', /not a port/],
    ['http', /not a port/],
    ['90-80', /ends before it starts/],
    ['1-2-3', /not a port/],
  ];
  for (const [text, message] of bad)
    test(`"${text}" is refused`, () => assert.throws(() => parsePortList(text), message));
});
