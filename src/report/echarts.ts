/**
 * echarts, loaded on the first chart: its ES module build is some 2,900 modules, which every `vitals`
 * command paid for at start-up (over a second of CPU) even when it drew no chart. The single-file build
 * that `require` gives draws the same SVG.
 */
import { createRequire } from 'node:module';
import type * as Echarts from 'echarts';

let loaded: typeof Echarts | undefined;

export function echarts(): typeof Echarts {
  loaded ??= createRequire(import.meta.url)('echarts') as typeof Echarts;
  return loaded;
}
