import { labelIndexes, niceCountMax, niceMax } from "./chart-scale";

export interface ChartSeries {
  label: string;
  /** One value a day; null (lines only) leaves a gap, e.g. a share on a day without answers. */
  values: (number | null)[];
  /** CSS class giving the series its colour (console.css: .series-1 … .series-4). */
  tone: "series-1" | "series-2" | "series-3" | "series-4";
}

export interface DailyChartProps {
  /** Heading of the chart. */
  title: string;
  /** One label a day (YYYY-MM-DD). */
  dates: string[];
  series: ChartSeries[];
  /** "bars" stacks the series; "line" draws each as a line. */
  kind: "bars" | "line";
  /** A horizontal reference line, e.g. the daily spending cap. */
  reference?: { value: number; label: string };
  format?: (value: number) => string;
  /** The value axis' top, e.g. 1 for shares. */
  max?: number;
  /** Whole counts: the axis never shows halves. */
  integer?: boolean;
}

const WIDTH = 480;
const HEIGHT = 200;
const PAD = { top: 12, right: 8, bottom: 28, left: 52 };

/**
 * A chart of daily values drawn as plain SVG, with the same numbers as a table for screen readers
 * (the picture is hidden from them, the table is hidden from sight).
 */
export function DailyChart({ title, dates, series, kind, reference, format = String, max, integer }: DailyChartProps) {
  const totals = dates.map((_, day) => (kind === "bars" ? series.reduce((sum, s) => sum + (s.values[day] ?? 0), 0) : Math.max(0, ...series.map((s) => s.values[day] ?? 0))));
  const highest = Math.max(0, ...totals, reference?.value ?? 0);
  const top = max ?? (integer ? niceCountMax(highest) : niceMax(highest));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const slot = dates.length ? plotWidth / dates.length : plotWidth;
  const y = (value: number) => PAD.top + plotHeight - (Math.min(value, top) / top) * plotHeight;
  const x = (day: number) => PAD.left + slot * day + slot / 2;
  const labelled = labelIndexes(dates.length, 6);
  const headingId = `chart-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;

  return (
    <section class="chart" aria-labelledby={headingId}>
      <h3 id={headingId}>{title}</h3>
      {series.length > 1 || reference ? (
        <ul class="legend" aria-hidden="true">
          {series.map((s) => (
            <li key={s.label}>
              <span class={`swatch ${s.tone}`} />
              {s.label}
            </li>
          ))}
          {reference ? (
            <li>
              <span class="swatch reference" />
              {reference.label}
            </li>
          ) : null}
        </ul>
      ) : null}
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} class="chart-svg" aria-hidden="true" focusable="false">
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line class="grid" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(top * f)} y2={y(top * f)} />
            <text class="axis" x={PAD.left - 6} y={y(top * f) + 4} text-anchor="end">
              {format(top * f)}
            </text>
          </g>
        ))}
        {kind === "bars"
          ? dates.map((date, day) => {
              let base = 0;
              return (
                <g key={date}>
                  {series.map((s) => {
                    const value = s.values[day] ?? 0;
                    const rect = value > 0 ? <rect class={s.tone} x={x(day) - Math.max(1, slot * 0.35)} width={Math.max(2, slot * 0.7)} y={y(base + value)} height={Math.max(0, y(base) - y(base + value))} /> : null;
                    base += value;
                    return rect;
                  })}
                </g>
              );
            })
          : series.map((s) => (
              <g key={s.label}>
                {runsOf(s.values).map((run) => (
                  <polyline key={run[0]} class={`line ${s.tone}`} points={run.map((day) => `${x(day)},${y(s.values[day]!)}`).join(" ")} />
                ))}
                {dates.length <= 31 ? s.values.map((v, day) => (v === null ? null : <circle key={day} class={s.tone} cx={x(day)} cy={y(v)} r="3" />)) : null}
              </g>
            ))}
        {reference ? <line class="reference" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(reference.value)} y2={y(reference.value)} /> : null}
        {dates.map((date, day) =>
          labelled.has(day) ? (
            <text key={date} class="axis" x={x(day)} y={HEIGHT - 8} text-anchor="middle">
              {date.slice(5)}
            </text>
          ) : null,
        )}
      </svg>
      <div class="sr-only">
      <table>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            {series.map((s) => (
              <th scope="col" key={s.label}>
                {s.label}
              </th>
            ))}
            {reference ? <th scope="col">{reference.label}</th> : null}
          </tr>
        </thead>
        <tbody>
          {dates.map((date, day) => (
            <tr key={date}>
              <th scope="row">{date}</th>
              {series.map((s) => (
                <td key={s.label}>{s.values[day] === null ? "—" : format(s.values[day] ?? 0)}</td>
              ))}
              {reference ? <td>{format(reference.value)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </section>
  );
}

/** The days of each unbroken stretch of values (null breaks a line). */
function runsOf(values: (number | null)[]): number[][] {
  const runs: number[][] = [];
  values.forEach((value, day) => {
    if (value === null) return;
    const last = runs[runs.length - 1];
    if (last && last[last.length - 1] === day - 1) last.push(day);
    else runs.push([day]);
  });
  return runs;
}
