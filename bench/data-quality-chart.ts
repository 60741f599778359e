// The precision–recall chart of the data-quality benchmark: an SVG drawn here, rendered to PNG by resvg
// (a renderer shipped inside its npm package, so it works offline) with the machine's DejaVu fonts.
import { Resvg } from '@resvg/resvg-js';

const COLOURS = ['#d62728', '#1f77b4', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

export function renderCurvePng(curves: { name: string; points: { precision: number; recall: number }[] }[], budget: number, note?: string): Buffer {
  const [width, height] = [900, 620];
  const plot = { left: 80, top: 60, right: 600, bottom: 540 };
  const x = (recall: number) => plot.left + recall * (plot.right - plot.left);
  const y = (precision: number) => plot.bottom - precision * (plot.bottom - plot.top);
  const parts: string[] = [
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="32" font-size="20" text-anchor="middle" font-weight="bold">Data-quality screening: precision–recall on the synthetic benchmark</text>`,
  ];
  for (let tick = 0; tick <= 10; tick++) {
    const value = tick / 10;
    parts.push(
      `<line x1="${x(value)}" y1="${plot.top}" x2="${x(value)}" y2="${plot.bottom}" stroke="#e5e5e5"/>`,
      `<line x1="${plot.left}" y1="${y(value)}" x2="${plot.right}" y2="${y(value)}" stroke="#e5e5e5"/>`,
      `<text x="${x(value)}" y="${plot.bottom + 20}" font-size="13" text-anchor="middle">${value.toFixed(1)}</text>`,
      `<text x="${plot.left - 8}" y="${y(value) + 4}" font-size="13" text-anchor="end">${value.toFixed(1)}</text>`,
    );
  }
  parts.push(
    `<rect x="${plot.left}" y="${plot.top}" width="${plot.right - plot.left}" height="${plot.bottom - plot.top}" fill="none" stroke="black"/>`,
    `<text x="${(plot.left + plot.right) / 2}" y="${plot.bottom + 48}" font-size="15" text-anchor="middle">recall of ×10, ÷10 and extra-digit errors</text>`,
    `<text transform="translate(24 ${(plot.top + plot.bottom) / 2}) rotate(-90)" font-size="15" text-anchor="middle">precision (alerts on an injected error ÷ all alerts)</text>`,
  );
  curves.forEach((curve, i) => {
    const colour = COLOURS[i % COLOURS.length];
    const path = curve.points.map((point, j) => `${j === 0 ? 'M' : 'L'}${x(point.recall).toFixed(1)},${y(point.precision).toFixed(1)}`).join(' ');
    parts.push(`<path d="${path}" fill="none" stroke="${colour}" stroke-width="${i === 0 ? 3 : 2}"/>`);
    const legendY = plot.top + 20 + i * 26;
    parts.push(
      `<line x1="${plot.right + 20}" y1="${legendY - 5}" x2="${plot.right + 50}" y2="${legendY - 5}" stroke="${colour}" stroke-width="3"/>`,
      `<text x="${plot.right + 58}" y="${legendY}" font-size="13">${escape(shorten(curve.name))}</text>`,
    );
  });
  parts.push(
    `<text x="${plot.right + 20}" y="${plot.top + 40 + curves.length * 26}" font-size="12" fill="#555">Each curve: one method, its threshold</text>`,
    `<text x="${plot.right + 20}" y="${plot.top + 56 + curves.length * 26}" font-size="12" fill="#555">lowered from strict to lax; our default</text>`,
    `<text x="${plot.right + 20}" y="${plot.top + 72 + curves.length * 26}" font-size="12" fill="#555">raises ${budget} alerts (the shared budget).</text>`,
  );
  if (note) parts.push(`<text x="${plot.right + 20}" y="${plot.top + 100 + curves.length * 26}" font-size="12" fill="#555">${escape(note)}</text>`);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans, sans-serif">${parts.join('')}</svg>`;
  return new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng();
}

function shorten(name: string): string {
  return name.length > 34 ? `${name.slice(0, 33)}…` : name;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
