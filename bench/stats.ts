/** Percentile of a sample (nearest-rank), in the sample's unit. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function summary(values: number[], unit = 'ms', digits = 2): string {
  const f = (n: number) => n.toFixed(digits);
  return `n=${values.length} p50=${f(percentile(values, 50))}${unit} p95=${f(percentile(values, 95))}${unit} p99=${f(percentile(values, 99))}${unit} max=${f(Math.max(...values))}${unit}`;
}
