/**
 * Abbreviations responders type at 2 a.m. and the words playbooks are written with. Used only in
 * the partial-match pass (`run.ts`): a word counts as matched when it or one of its expansions
 * is found. Deliberately small and literal: each entry is an abbreviation or near-spelling of
 * the same thing, never a related concept.
 */
export const SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  db: ['database'],
  dbs: ['databases'],
  pg: ['postgres', 'postgresql'],
  k8s: ['kubernetes'],
  oom: ['oomkilled', 'memory'],
  tls: ['certificate', 'ssl'],
  ssl: ['certificate', 'tls'],
  cert: ['certificate'],
  certs: ['certificates'],
  conn: ['connection'],
  conns: ['connections'],
  maxed: ['max', 'exhausted'],
  prod: ['production'],
  env: ['environment'],
  cfg: ['configuration'],
  config: ['configuration'],
  auth: ['authentication'],
  svc: ['service'],
  req: ['request'],
  reqs: ['requests'],
  deps: ['dependencies'],
  dep: ['dependency'],
  msg: ['message'],
  msgs: ['messages'],
  perf: ['performance'],
  mem: ['memory'],
  cpu: ['cpu'],
  lb: ['load', 'balancer'],
};

/** The word and what it abbreviates, e.g. `db` → `['db', 'database']`. */
export function expansions(word: string): string[] {
  return [word, ...(SYNONYMS[word] ?? [])];
}
