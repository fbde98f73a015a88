/**
 * Running and measuring the benchmark's child processes: wall time, the largest resident set
 * of any one process (GNU time), the peak summed resident set of the whole process tree
 * (sampled from /proc, so Pagefind's own process counts too), a log file, and a heartbeat with
 * the last output line so long steps show progress.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const ASTRO_BIN = join(REPO, 'node_modules/astro/bin/astro.mjs');
export const BARE_ROOT = join(REPO, 'scripts/bench/bare');

/** What one run of a command cost. */
export interface RunOutcome {
  ok: boolean;
  exitCode: number | null;
  /** Wall-clock milliseconds. */
  ms: number;
  /** Largest resident set of any single process of the run (GNU time), bytes. */
  maxRssBytes?: number;
  /** Peak of the summed resident sets of the run's process tree (sampled every 250 ms), bytes. */
  treePeakRssBytes?: number;
  /** Load average when the run started and ended: other work on the machine skews timings. */
  load: [number, number];
  /** Log file, relative to the repository. */
  log: string;
  /** Set when `stopWhen` ended the run early. */
  stopped?: string;
}

const startedAt = performance.now();

/** `[mm:ss] message`, minutes since the benchmark started. */
export function say(message: string): void {
  const s = Math.round((performance.now() - startedAt) / 1000);
  console.log(`[${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}] ${message}`);
}

export function loadAverage(): number {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  } catch {
    return Number.NaN;
  }
}

/** Sum of VmRSS over `pid` and all its descendants, in bytes (Linux /proc; 0 elsewhere). */
export function treeRss(pid: number): number {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return 0;
  }
  const children = new Map<number, number[]>();
  for (const name of entries) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch {
      // The process ended between listing and reading.
    }
  }
  let total = 0;
  const stack = [pid];
  while (stack.length > 0) {
    const current = stack.pop() as number;
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${current}/status`, 'utf8'));
      if (match) total += Number(match[1]) * 1024;
    } catch {
      // Gone already.
    }
    stack.push(...(children.get(current) ?? []));
  }
  return total;
}

export const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

export interface RunOptions {
  /** Shown in heartbeats. */
  label: string;
  /** Extra environment (on top of this process's, telemetry off, colours off). */
  env?: Record<string, string>;
  logFile: string;
  /**
   * Called with each output line; a string return ends the run (SIGTERM to the process group)
   * and is recorded as `stopped`. The ceiling probe stops a build once it is rendering pages.
   */
  stopWhen?: (line: string) => string | undefined;
}

/**
 * Run `node <args>` from the repository root under GNU time (when present), log its output,
 * print a heartbeat with its last output line every 15 s, and measure it.
 */
export async function runNode(args: readonly string[], options: RunOptions): Promise<RunOutcome> {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const timeFile = `${options.logFile}.time`;
  const useTime = existsSync('/usr/bin/time');
  const command = useTime ? '/usr/bin/time' : process.execPath;
  const argv = useTime ? ['-v', '-o', timeFile, process.execPath, ...args] : [...args];
  const log = createWriteStream(options.logFile);
  const loadBefore = loadAverage();
  const t0 = performance.now();
  const child = spawn(command, argv, {
    cwd: REPO,
    detached: true,
    env: {
      ...process.env,
      ASTRO_TELEMETRY_DISABLED: '1',
      FORCE_COLOR: '0',
      PATH: `${join(REPO, 'node_modules/.bin')}:${process.env['PATH'] ?? ''}`,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let lastLine = '';
  let stopped: string | undefined;
  const onData = (chunk: Buffer): void => {
    log.write(chunk);
    const lines = chunk
      .toString('utf8')
      .replace(ANSI, '')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    if (lines.length > 0) lastLine = lines[lines.length - 1] as string;
    if (options.stopWhen && !stopped) {
      for (const line of lines) {
        const reason = options.stopWhen(line);
        if (reason !== undefined && child.pid) {
          stopped = reason;
          try {
            process.kill(-child.pid, 'SIGTERM');
          } catch {
            // Already gone.
          }
          break;
        }
      }
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  let treePeak = 0;
  const sampler = setInterval(() => {
    if (child.pid) treePeak = Math.max(treePeak, treeRss(child.pid));
  }, 250);
  const heartbeat = setInterval(() => {
    const seconds = Math.round((performance.now() - t0) / 1000);
    say(`  … ${options.label}: ${seconds} s${lastLine ? ` · ${lastLine.slice(0, 100)}` : ''}`);
  }, 15_000);
  const exitCode = await new Promise<number | null>((done) =>
    child.on('close', (code) => {
      done(code);
    }),
  );
  const ms = performance.now() - t0;
  clearInterval(sampler);
  clearInterval(heartbeat);
  await new Promise<void>((done) => log.end(done));
  let maxRssBytes: number | undefined;
  if (useTime && existsSync(timeFile)) {
    const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(readFileSync(timeFile, 'utf8'));
    if (match) maxRssBytes = Number(match[1]) * 1024;
  }
  return {
    ok: exitCode === 0 || stopped !== undefined,
    exitCode,
    ms,
    ...(maxRssBytes !== undefined ? { maxRssBytes } : {}),
    ...(treePeak > 0 ? { treePeakRssBytes: treePeak } : {}),
    load: [loadBefore, loadAverage()],
    log: relative(REPO, options.logFile),
    ...(stopped !== undefined ? { stopped } : {}),
  };
}

/** `12.3 MB`-style sizes. */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return '–';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

/** `1.23 s` below ten seconds, `12.3 s` above. */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined) return '–';
  return ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`;
}
