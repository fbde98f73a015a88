/** Value formats shared by the chart components. */
import { formatMinutes } from '../../site/format.ts';

export type ValueFormat = 'count' | 'minutes' | 'percent';

export function formatValue(value: number | undefined, format: ValueFormat): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  if (format === 'minutes') return value === 0 ? '0' : formatMinutes(value);
  if (format === 'percent') return `${Math.round(value)}%`;
  return String(Math.round(value * 10) / 10);
}

/** Colour class for the n-th series (`c-1` … `c-6`, then repeating). */
export function colorClass(index: number): string {
  return `c-${(index % 6) + 1}`;
}
