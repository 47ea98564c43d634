/**
 * The folder layering of src/ (docs/DESIGN.md, "Layers"), checked on the import statements of every
 * source file: each import must be allowed by the table in layer-table.ts, the table must keep the
 * invariants of issue #6, the design document must show the same table, and the folders must form no
 * cycle. Failures name the file and the import.
 *
 * Tests and test support (`*.test.ts`, `test-*.ts`, `*.test-support.ts`, `*-test-helpers.ts`...) may
 * import what they exercise; they are left out, and the test holds them to being imported by tests only.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LAYERS, type LayerRule, NEVER } from './layer-table.js';

const ROOT = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '../..' : '../../..', import.meta.url));
const SRC = join(ROOT, 'src');

interface Import {
  /** Importing file, relative to the repository (`src/checks/x.ts`). */
  file: string;
  /** The specifier as written. */
  specifier: string;
  /** Imported file, relative to the repository. */
  target: string;
  /** True for `import type` / `export type` and `import('…').T` in a type: erased at compile time. */
  typeOnly: boolean;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(path, out);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const repoPath = (path: string): string => relative(ROOT, path).split(sep).join('/');

/** Tests and the helpers only tests use. */
function isTestCode(file: string): boolean {
  const name = posix.basename(file);
  return name.endsWith('.test.ts') || /(^|[.-])test-[a-z-]+\.ts$/.test(name);
}

/** The code with comments and the contents of strings and templates blanked (quotes of specifiers kept). */
function codeOnly(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    const next = text[i + 1];
    if (ch === '/' && next === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (ch === "'" || ch === '"' || ch === '`') {
      // Strings stay (specifiers are strings); templates are blanked so code inside them is not read. A
      // quote or string ends at the line's end at the latest (a quote in a regex literal opens no string).
      let j = i + 1;
      while (j < text.length && text[j] !== ch && (ch === '`' || text[j] !== '\n')) j += text[j] === '\\' ? 2 : 1;
      out += ch === '`' ? `\`${' '.repeat(Math.max(0, j - i - 1))}\`` : text.slice(i, j + 1);
      i = j + 1;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

const STATIC = /(?:^|[;\n}])\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?(['"])([^'"]+)\3/g;
const DYNAMIC = /\bimport\s*\(\s*(['"])([^'"]+)\1\s*\)/g;

function importsOf(path: string): Import[] {
  const file = repoPath(path);
  const code = codeOnly(readFileSync(path, 'utf8'));
  const found: Import[] = [];
  const add = (specifier: string, typeOnly: boolean): void => {
    if (!specifier.startsWith('.')) return; // packages and node: built-ins are not folders of src/
    const target = posix.normalize(posix.join(posix.dirname(file), specifier)).replace(/\.js$/, '.ts');
    found.push({ file, specifier, target, typeOnly });
  };
  for (const m of code.matchAll(STATIC)) add(m[4]!, m[2] !== undefined);
  for (const m of code.matchAll(DYNAMIC)) {
    // `import('x').T` in a type annotation is erased; `import('x')` as an expression loads the module.
    const after = code.slice(m.index + m[0].length);
    const before = code.slice(Math.max(0, m.index - 6), m.index);
    add(m[2]!, /^\s*\.\s*[A-Z]/.test(after) && !/await\s*$/.test(before));
  }
  return found;
}

/** `src/<folder>/…` → folder; undefined outside src/ or for a file directly in src/. */
function folderOf(file: string): string | undefined {
  const parts = file.split('/');
  return parts[0] === 'src' && parts.length > 2 ? parts[1] : undefined;
}

const ALL_FILES = sourceFiles(SRC).map((p) => ({ path: p, file: repoPath(p) }));
const IMPORTS = ALL_FILES.flatMap(({ path }) => importsOf(path));
const PRODUCTION = IMPORTS.filter((i) => !isTestCode(i.file));
const CROSSING = PRODUCTION.filter((i) => {
  const from = folderOf(i.file);
  const to = folderOf(i.target);
  return from !== undefined && to !== undefined && from !== to;
});
const describeImport = (i: Import): string => `${i.file}: ${i.typeOnly ? 'import type' : 'import'} '${i.specifier}'`;

describe('folder layers (docs/DESIGN.md, "Layers")', () => {
  test('the import reader sees imports of every form and tells type-only ones apart', () => {
    const sample = codeOnly(
      [
        "import type { A } from '../core/a.js';",
        "import { b, type C } from '../store/b.js';",
        'export {',
        '  d,',
        "} from '../net/d.js';",
        "import '../lab/side-effect.js';",
        "// import { no } from '../cli/comment.js';",
        "const s = `import { no } from '../cli/template.js'`;",
        "type T = import('../probes/t.js').Probe;",
        "const m = await import('../scanner/m.js');",
      ].join('\n'),
    );
    const seen = [...sample.matchAll(STATIC)].map((m) => `${m[2] ? 'type ' : ''}${m[4]}`);
    assert.deepEqual(seen, ['type ../core/a.js', '../store/b.js', '../net/d.js', '../lab/side-effect.js']);
    assert.deepEqual(
      [...sample.matchAll(DYNAMIC)].map((m) => m[2]),
      ['../probes/t.js', '../scanner/m.js'],
    );
    assert.ok(IMPORTS.length > 500, `only ${IMPORTS.length} imports read from src/: the reader is broken`);
  });

  test('every folder of src/ has a row in the table', () => {
    const folders = [...new Set(ALL_FILES.map((f) => folderOf(f.file)).filter((f) => f !== undefined))].sort();
    const missing = folders.filter((f) => !(f in LAYERS));
    assert.deepEqual(missing, [], `add these folders to test/architecture/layer-table.ts and docs/DESIGN.md`);
  });

  test('the table keeps the invariants: core alone, only the CLI on top, the forbidden edges absent', () => {
    const problems: string[] = [];
    const core = LAYERS['core']!;
    if (core.runtime.length + core.types.length > 0) problems.push('core may import nothing outside core');
    for (const [from, rule] of Object.entries(LAYERS)) {
      if (from !== 'cli' && [...rule.runtime, ...rule.types].includes('cli'))
        problems.push(`${from} may not import cli`);
      for (const to of [...rule.runtime, ...rule.types])
        if (!(to in LAYERS)) problems.push(`${from} lists "${to}", which has no row`);
    }
    for (const never of NEVER) {
      const rule = LAYERS[never.from];
      if (rule?.runtime.includes(never.to)) problems.push(`${never.from} may never load ${never.to}`);
      if (never.kind === 'any' && rule?.types.includes(never.to))
        problems.push(`${never.from} may never import ${never.to}, not even types`);
    }
    assert.deepEqual(problems, []);
  });

  test('every import between folders is allowed by the table', () => {
    const violations = CROSSING.filter((i) => {
      const rule = LAYERS[folderOf(i.file)!];
      if (!rule) return false; // reported by the "has a row" test
      const to = folderOf(i.target)!;
      return !(rule.runtime.includes(to) || (i.typeOnly && rule.types.includes(to)));
    });
    assert.deepEqual(
      violations.map((v) => `${describeImport(v)} (${folderOf(v.file)} -> ${folderOf(v.target)} is not allowed)`),
      [],
    );
  });

  test('the folders form no cycle (type-only imports count: they are dependencies too)', () => {
    const edges = new Map<string, Map<string, Import>>();
    for (const i of CROSSING) {
      const from = folderOf(i.file)!;
      const to = folderOf(i.target)!;
      const out = edges.get(from) ?? new Map<string, Import>();
      if (!out.has(to)) out.set(to, i);
      edges.set(from, out);
    }
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const stack: string[] = [];
    const visit = (folder: string): void => {
      state.set(folder, 'visiting');
      stack.push(folder);
      for (const to of edges.get(folder)?.keys() ?? []) {
        if (state.get(to) === 'visiting') {
          const loop = [...stack.slice(stack.indexOf(to)), to];
          const via = loop.slice(0, -1).map((f, k) => describeImport(edges.get(f)!.get(loop[k + 1]!)!));
          cycles.push(`${loop.join(' -> ')} (${via.join('; ')})`);
        } else if (!state.has(to)) visit(to);
      }
      stack.pop();
      state.set(folder, 'done');
    };
    for (const folder of [...edges.keys()].sort()) if (!state.has(folder)) visit(folder);
    assert.deepEqual(cycles, []);
  });

  test('test support is imported by tests only', () => {
    const leaks = PRODUCTION.filter((i) => isTestCode(i.target));
    assert.deepEqual(leaks.map(describeImport), []);
  });

  test('docs/DESIGN.md shows the same table', () => {
    const design = readFileSync(join(ROOT, 'docs', 'DESIGN.md'), 'utf8');
    const section = design.split(/^## Layers$/m)[1]?.split(/^## /m)[0];
    assert.ok(section, 'docs/DESIGN.md has no "## Layers" section');
    const rows = new Map<string, LayerRule>();
    const everyOther: string[] = []; // folders whose row reads "every other folder" (the CLI)
    for (const line of section.split('\n')) {
      const cells = line.split('|').map((c) => c.trim());
      const folder = /^`src\/([a-z-]+)\/`$/.exec(cells[1] ?? '')?.[1];
      if (!folder) continue;
      const list = (cell: string | undefined): string[] =>
        [...(cell ?? '').matchAll(/`([a-z-]+)`/g)].map((m) => m[1]!).sort();
      if (cells[2] === 'every other folder') everyOther.push(folder);
      rows.set(folder, { runtime: list(cells[2]), types: list(cells[3]) });
    }
    for (const folder of everyOther)
      rows.set(folder, { ...rows.get(folder)!, runtime: [...rows.keys()].filter((f) => f !== folder).sort() });
    const expected = new Map(
      Object.entries(LAYERS).map(([f, r]) => [f, { runtime: [...r.runtime].sort(), types: [...r.types].sort() }]),
    );
    assert.deepEqual(Object.fromEntries(rows), Object.fromEntries(expected));
  });
});
