/**
 * Horizontal stacked bar charts as inline SVG, for the self-contained HTML report. Every
 * label is HTML-escaped.
 */
import { escapeHtml } from "./Escape.js";

/** One segment of a bar. */
export interface BarSegment {
  readonly name: string;
  readonly value: number;
  readonly color: string;
}

/** One bar of a chart. */
export interface Bar {
  readonly label: string;
  readonly segments: ReadonlyArray<BarSegment>;
}

const ROW = 26;
const LABEL_WIDTH = 180;
const BAR_WIDTH = 420;

/** Renders a horizontal stacked bar chart with a legend, or a note when there is no data. */
export const barChart = (title: string, bars: ReadonlyArray<Bar>): string => {
  const max = Math.max(0, ...bars.map((bar) => bar.segments.reduce((sum, s) => sum + s.value, 0)));
  if (bars.length === 0 || max === 0) {
    return `<figure><figcaption>${escapeHtml(title)}</figcaption><p class="empty">No data.</p></figure>`;
  }

  const rows = bars.map((bar, index) => {
    const y = index * ROW;
    let x = LABEL_WIDTH;
    const total = bar.segments.reduce((sum, s) => sum + s.value, 0);
    const rects = bar.segments
      .filter((segment) => segment.value > 0)
      .map((segment) => {
        const width = (segment.value / max) * BAR_WIDTH;
        const rect = `<rect x="${x.toFixed(1)}" y="${y + 4}" width="${width.toFixed(1)}" height="${ROW - 8}" fill="${escapeHtml(segment.color)}"><title>${escapeHtml(`${segment.name}: ${segment.value}`)}</title></rect>`;
        x += width;
        return rect;
      });
    const label = `<text x="${LABEL_WIDTH - 8}" y="${y + ROW / 2 + 4}" text-anchor="end">${escapeHtml(bar.label)}</text>`;
    const value = `<text x="${(x + 6).toFixed(1)}" y="${y + ROW / 2 + 4}">${total}</text>`;
    return label + rects.join("") + value;
  });

  const names = new Map<string, string>();
  for (const bar of bars) for (const s of bar.segments) names.set(s.name, s.color);
  const legend = [...names]
    .map(
      ([name, color]) =>
        `<span class="key"><span class="swatch" style="background:${escapeHtml(color)}"></span>${escapeHtml(name)}</span>`,
    )
    .join(" ");
  const height = bars.length * ROW;
  const width = LABEL_WIDTH + BAR_WIDTH + 60;
  return `<figure><figcaption>${escapeHtml(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${rows.join("")}</svg><div class="legend">${legend}</div></figure>`;
};
