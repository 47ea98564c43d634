/**
 * Charts rendered on the server to inline SVG with echarts (no script in the page, nothing to fetch).
 * Each chart is its own echarts instance, disposed at once; echarts escapes the texts it draws.
 */
import type * as echarts from 'echarts';
import { echarts as loadEcharts } from './echarts.js';
import { SafeHtml, html } from './html.js';

export type ChartOption = echarts.EChartsOption;

/** Colours of series (a colour-blind-friendly qualitative set). */
export const SERIES_COLOURS = ['#1f4e79', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#0072b2', '#f0e442'];

const TEXT_STYLE = { fontFamily: 'DejaVu Sans, Arial, sans-serif', color: '#1f2328' };

/**
 * Renders one chart to SVG markup. The namespace declarations are dropped: inline SVG in HTML needs none,
 * and a page then holds no http(s) address at all, which keeps "nothing to load" checkable.
 */
export function renderSvg(option: ChartOption, width: number, height: number, label: string): SafeHtml {
  const chart = loadEcharts().init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: TEXT_STYLE, color: SERIES_COLOURS, ...option });
    const svg = chart
      .renderToSVGString()
      .replace(/\s+xmlns(:xlink)?="[^"]*"/g, '')
      .replace(/xlink:href=/g, 'href=');
    return new SafeHtml(svg.replace(/^<svg /, html`<svg role="img" aria-label="${label}" `.value));
  } finally {
    chart.dispose();
  }
}

/** A chart with its caption, kept on one printed page. */
export function chartFigure(svg: SafeHtml, caption: string): SafeHtml {
  return html`<figure>${svg}<figcaption>${caption}</figcaption></figure>`;
}

/** Readable factor names (`dns_health` -> `DNS health`); unknown ids get their underscores replaced. */
const FACTOR_LABELS: Record<string, string> = {
  all: 'All factors',
  dns_health: 'DNS health',
  tls: 'TLS',
  application_security: 'Application security',
  network_security: 'Network security',
  patching_cadence: 'Patching cadence',
  ip_reputation: 'IP reputation',
  hacker_chatter: 'Hacker chatter',
  information_leak: 'Information leak',
};

/** A fixed colour per factor, so one factor looks the same on every chart of every report. */
const FACTOR_COLOURS: Record<string, string> = {
  all: '#1f2328',
  dns_health: '#1f4e79',
  tls: '#009e73',
  application_security: '#cc79a7',
  network_security: '#e69f00',
  patching_cadence: '#56b4e9',
  ip_reputation: '#d55e00',
  hacker_chatter: '#6a3d9a',
  information_leak: '#b8860b',
};

export function factorColour(factor: string | null): string {
  return factor === null ? '#9e9e9e' : (FACTOR_COLOURS[factor] ?? '#8c959f');
}

export function factorLabel(factor: string): string {
  const known = FACTOR_LABELS[factor];
  if (known !== undefined) return known;
  const words = factor.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * Error bars: a custom series that draws, for each [x, low, high] (x a category index), a vertical
 * whisker with caps at `offset` pixels from the category's centre (to sit on one bar of a group).
 * With `horizontal`, [y, low, high] on a horizontal value axis instead.
 */
export function whiskerSeries(
  name: string,
  points: ReadonlyArray<readonly [number, number, number]>,
  options: { offset?: number; horizontal?: boolean; colour?: string } = {},
): echarts.CustomSeriesOption {
  const offset = options.offset ?? 0;
  const horizontal = options.horizontal ?? false;
  const colour = options.colour ?? '#1f2328';
  const cap = 5;
  return {
    type: 'custom',
    name,
    silent: true,
    z: 10,
    data: points.map((p) => [...p]),
    encode: horizontal ? { y: 0, x: [1, 2] } : { x: 0, y: [1, 2] },
    renderItem: (_params, api) => {
      const at = api.value(0) as number;
      const low = api.value(1) as number;
      const high = api.value(2) as number;
      const a = horizontal ? api.coord([low, at]) : api.coord([at, low]);
      const b = horizontal ? api.coord([high, at]) : api.coord([at, high]);
      const style = { stroke: colour, lineWidth: 1.5 };
      const line = (x1: number, y1: number, x2: number, y2: number) => ({
        type: 'line' as const,
        shape: { x1, y1, x2, y2 },
        style,
      });
      if (horizontal) {
        const y = a[1]! + offset;
        return {
          type: 'group',
          children: [
            line(a[0]!, y, b[0]!, y),
            line(a[0]!, y - cap, a[0]!, y + cap),
            line(b[0]!, y - cap, b[0]!, y + cap),
          ],
        };
      }
      const x = a[0]! + offset;
      return {
        type: 'group',
        children: [
          line(x, a[1]!, x, b[1]!),
          line(x - cap, a[1]!, x + cap, a[1]!),
          line(x - cap, b[1]!, x + cap, b[1]!),
        ],
      };
    },
  };
}

/**
 * Centre offsets (pixels) of the bars of a group of `count` series with bars `barWidth` wide and gaps of
 * `gapRatio` bar widths, as echarts lays them out around the category's centre.
 */
export function barOffsets(count: number, barWidth: number, gapRatio: number): number[] {
  const gap = barWidth * gapRatio;
  const total = count * barWidth + (count - 1) * gap;
  return Array.from({ length: count }, (_, i) => -total / 2 + barWidth / 2 + i * (barWidth + gap));
}
