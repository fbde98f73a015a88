/**
 * The parse cache and the worker pool are speed-ups only: whatever path produced a result, it
 * must be exactly what parsing the file again gives, and a damaged or outdated cache must never
 * change a result.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../scripts/bench/generate.ts';
import { openParseCache } from '../../src/kb/cache.ts';
import { parseFiles, type FileInput } from '../../src/kb/workers.ts';
import { parseTaxonomyText, type Taxonomy } from '../../src/schema/index.ts';

const encoder = new TextEncoder();

function corpus(postmortems: number): { taxonomy: Taxonomy; files: FileInput[] } {
  const [taxonomyFile, ...docs] = generateCorpus({ postmortems, playbooks: 20, paths: 1 });
  const parsed = parseTaxonomyText(taxonomyFile?.text ?? '');
  if (!parsed.ok) throw new Error(parsed.error);
  return { taxonomy: parsed.taxonomy, files: docs.map((d) => ({ relPath: d.path, bytes: encoder.encode(d.text) })) };
}

/** A broken document, so diagnostics go through the cache and the workers too. */
const BROKEN: FileInput = {
  relPath: 'content/postmortems/INC-2026-999-broken.md',
  bytes: encoder.encode('---\nid: INC-2026-999\ntitle: Broken\nseverity: SEV9\n---\n\n## Summary\n'),
};

let dir: string;
let cacheFile: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hindsight-cache-test-'));
  cacheFile = join(dir, 'parse.json');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('parse cache', () => {
  const { taxonomy, files } = corpus(30);
  const inputs = [...files, BROKEN];

  it('answers a second run from the cache with results identical to parsing', async () => {
    const fresh = await parseFiles(inputs, taxonomy, { root: dir, cache: false, threads: 0 });
    const first = await parseFiles(inputs, taxonomy, { root: dir, cache: cacheFile, threads: 0 });
    expect(first.cached).toBe(0);
    const second = await parseFiles(inputs, taxonomy, { root: dir, cache: cacheFile, threads: 0 });
    expect(second.cached).toBe(inputs.length);
    expect(second.parsed).toBe(0);
    expect(second.results).toEqual(fresh.results);
    expect(second.results.at(-1)?.diagnostics.length).toBeGreaterThan(0);
  });

  it('parses again exactly the files whose bytes changed', async () => {
    await parseFiles(inputs, taxonomy, { root: dir, cache: cacheFile, threads: 0 });
    const changed = inputs.map((f, i) =>
      i === 3 ? { ...f, bytes: encoder.encode(`${new TextDecoder().decode(f.bytes)}\nEdited.\n`) } : f,
    );
    const again = await parseFiles(changed, taxonomy, { root: dir, cache: cacheFile, threads: 0 });
    expect(again.parsed).toBe(1);
    expect(again.results[3]?.doc?.body).toContain('Edited.');
  });

  it('drops every entry when the taxonomy changes', async () => {
    await parseFiles(inputs, taxonomy, { root: dir, cache: cacheFile, threads: 0 });
    const narrower = { ...taxonomy, severities: taxonomy.severities.filter((s) => s.id !== 'SEV4') };
    const again = await parseFiles(inputs, narrower, { root: dir, cache: cacheFile, threads: 0 });
    expect(again.cached).toBe(0);
    const usesSev4 = inputs.findIndex((f) => new TextDecoder().decode(f.bytes).includes('severity: SEV4'));
    expect(again.results[usesSev4]?.doc).toBeUndefined();
  });

  it('ignores a corrupted or truncated cache file and rebuilds it', async () => {
    await parseFiles(inputs, taxonomy, { root: dir, cache: cacheFile, threads: 0 });
    const text = readFileSync(cacheFile, 'utf8');
    const fresh = await parseFiles(inputs, taxonomy, { root: dir, cache: false, threads: 0 });
    for (const damaged of [
      text.slice(0, text.length / 2),
      'null',
      '{"format":1,"key":"x"}',
      text.replace(/"hash":"[0-9a-f]+"/g, '"hash":1'),
    ]) {
      writeFileSync(cacheFile, damaged);
      const again = await parseFiles(inputs, taxonomy, { root: dir, cache: cacheFile, threads: 0 });
      expect(again.cached).toBe(0);
      expect(again.results).toEqual(fresh.results);
    }
    const repaired = await parseFiles(inputs, taxonomy, { root: dir, cache: cacheFile, threads: 0 });
    expect(repaired.cached).toBe(inputs.length);
  });

  it('forgets files that are gone', async () => {
    await parseFiles(inputs, taxonomy, { root: dir, cache: cacheFile, threads: 0 });
    await parseFiles(inputs.slice(1), taxonomy, { root: dir, cache: cacheFile, threads: 0 });
    const stored = JSON.parse(readFileSync(cacheFile, 'utf8')) as { entries: Record<string, unknown> };
    expect(Object.keys(stored.entries)).toHaveLength(inputs.length - 1);
    expect(stored.entries[inputs[0]?.relPath ?? '']).toBeUndefined();
  });

  it('does not store the bodies, which are read from the file again', async () => {
    await parseFiles(inputs, taxonomy, { root: dir, cache: cacheFile, threads: 0 });
    const stored = readFileSync(cacheFile, 'utf8');
    const body = new TextDecoder().decode(inputs[0]?.bytes).split('\n---\n')[1] ?? '';
    expect(body.length).toBeGreaterThan(1000);
    expect(stored).not.toContain(body.slice(0, 200));
  });

  it('restores files read into one shared buffer (a reader thread batch) exactly', async () => {
    // ASCII files, and files the fast path must leave alone: non-ASCII text, CRLF, a byte-order mark.
    const variants = inputs.map((file, i) => {
      const text = new TextDecoder().decode(file.bytes);
      if (i === 1) return { ...file, bytes: encoder.encode(`${text}\nThe café — 🚒\n`) };
      if (i === 2) return { ...file, bytes: encoder.encode(text.replace(/\n/g, '\r\n')) };
      if (i === 3) return { ...file, bytes: encoder.encode(`\uFEFF${text}`) };
      return file;
    });
    // All of them views into one buffer of over a megabyte, with room left at the end.
    const shared = new Uint8Array(Math.max(2 * 1024 * 1024, variants.reduce((n, f) => n + f.bytes.length, 0) + 1024));
    let offset = 0;
    const batched = variants.map((file) => {
      shared.set(file.bytes, offset);
      const view = shared.subarray(offset, offset + file.bytes.length);
      offset += file.bytes.length;
      return { ...file, bytes: view };
    });
    const fresh = await parseFiles(variants, taxonomy, { root: dir, cache: false, threads: 0 });
    await parseFiles(variants, taxonomy, { root: dir, cache: cacheFile, threads: 0 });
    const warm = await parseFiles(batched, taxonomy, { root: dir, cache: cacheFile, threads: 0 });
    expect(warm.cached).toBe(batched.length);
    expect(warm.results).toEqual(fresh.results);
    expect(warm.results[1]?.doc?.body).toContain('café — 🚒');
    expect(warm.results[2]?.doc?.body).not.toContain('\r');
  });

  it('keeps text outside ASCII exactly, in a cache file that is all ASCII', async () => {
    const accented = inputs.map((file, i) =>
      i === 0
        ? {
            ...file,
            bytes: encoder.encode(
              new TextDecoder().decode(file.bytes).replace(/^title: .*$/m, 'title: "Crème brûlée — 🚒 𝔘"'),
            ),
          }
        : file,
    );
    const fresh = await parseFiles(accented, taxonomy, { root: dir, cache: false, threads: 0 });
    expect(fresh.results[0]?.doc?.data.title).toBe('Crème brûlée — 🚒 𝔘');
    await parseFiles(accented, taxonomy, { root: dir, cache: cacheFile, threads: 0 });
    expect([...readFileSync(cacheFile)].every((byte) => byte < 0x80)).toBe(true);
    const warm = await parseFiles(accented, taxonomy, { root: dir, cache: cacheFile, threads: 0 });
    expect(warm.cached).toBe(accented.length);
    expect(warm.results).toEqual(fresh.results);
  });

  it('is unavailable rather than wrong when asked for a key it cannot compute', () => {
    // A normal checkout can always compute it; the cache opens and starts empty.
    const cache = openParseCache(dir, taxonomy, { file: cacheFile });
    expect(cache?.get(BROKEN.relPath, BROKEN.bytes)).toBeUndefined();
    expect(cache?.stats).toEqual({ hits: 0, misses: 1 });
  });
});

describe('worker threads', () => {
  it('give exactly the main thread results, in input order', async () => {
    const { taxonomy, files } = corpus(300);
    const inputs = [BROKEN, ...files];
    const here = await parseFiles(inputs, taxonomy, { root: dir, cache: false, threads: 0 });
    const pooled = await parseFiles(inputs, taxonomy, { root: dir, cache: false, threads: 2 });
    expect(pooled.threads).toBe(2);
    expect(pooled.results).toEqual(here.results);
  });

  it('report progress up to the total', async () => {
    const { taxonomy, files } = corpus(250);
    const seen: number[] = [];
    await parseFiles(files, taxonomy, { root: dir, cache: false, threads: 1, onProgress: (done) => seen.push(done) });
    expect(seen.at(-1)).toBe(files.length);
    expect(seen.length).toBeGreaterThan(2);
  });
});
