/**
 * A small seeded pseudo-random generator for the synthetic corpora, so a benchmark run (and a
 * test) sees exactly the same knowledge base every time. Mulberry32: 32 bits of state, fast,
 * good enough statistically for picking words and dates (not for anything secret).
 */

/** Random helpers over one seeded stream. */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T;
  /** One element, with probability proportional to its weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  /** Index in [0, n) with Zipf-like weights 1/(i+1)^s: a few items are picked very often. */
  zipf(n: number, s?: number): number;
  /** `count` distinct elements (fewer when `items` is shorter), in random order. */
  sample<T>(items: readonly T[], count: number): T[];
  /** Log-normal: `median · e^(sigma·N(0,1))`, for durations and sizes with a long tail. */
  logNormal(median: number, sigma: number): number;
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(next() * items.length)] as T;
  };
  const zipfTables = new Map<string, Float64Array>();
  const zipf = (n: number, s = 1.1): number => {
    const key = `${n}:${s}`;
    let cumulative = zipfTables.get(key);
    if (!cumulative) {
      cumulative = new Float64Array(n);
      let total = 0;
      for (let i = 0; i < n; i++) {
        total += 1 / (i + 1) ** s;
        cumulative[i] = total;
      }
      for (let i = 0; i < n; i++) cumulative[i] = (cumulative[i] as number) / total;
      zipfTables.set(key, cumulative);
    }
    const u = next();
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick,
    weighted<T>(items: readonly (readonly [T, number])[]): T {
      const total = items.reduce((sum, [, w]) => sum + w, 0);
      let u = next() * total;
      for (const [item, weight] of items) {
        u -= weight;
        if (u < 0) return item;
      }
      const last = items[items.length - 1];
      if (!last) throw new Error('weighted pick from an empty list');
      return last[0];
    },
    zipf,
    sample<T>(items: readonly T[], count: number): T[] {
      const copy = [...items];
      const out: T[] = [];
      while (out.length < count && copy.length > 0) {
        out.push(copy.splice(Math.floor(next() * copy.length), 1)[0] as T);
      }
      return out;
    },
    logNormal(median: number, sigma: number): number {
      // Box–Muller; 1 - next() avoids log(0).
      const gaussian = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
      return median * Math.exp(sigma * gaussian);
    },
  };
}
