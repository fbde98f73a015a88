/**
 * Frontmatter fields inferred from words: the root-cause category (with the phrase that suggested
 * it), services from the taxonomy, severity, how the incident was detected, numbers from the
 * impact, and whether data was lost. Every function returns where its answer came from, so the
 * importer can tell a human what to check.
 */
import type { Taxonomy } from '../../schema/index.ts';

/** A piece of the original to search, with a weight (root cause text says more about the category than the summary). */
export interface TextPart {
  /** Where it came from, for the reason: `Root causes`, `Trigger`, `Summary`. */
  label: string;
  text: string;
  /** 1-based line of `text`'s first character in the original. */
  line: number;
  weight: number;
}

/** A category suggestion and the evidence for it. */
export interface CategorySuggestion {
  category: string;
  /** e.g. `"expired certificate" in Root causes (line 31)`. */
  reason: string;
  /** Other categories that also matched, for the human to weigh. */
  alternatives: string[];
}

/**
 * Phrases that point to each root-cause category (the taxonomy's default ids), each with a
 * strength: 1 for a telling phrase, less for a word that often appears for other reasons.
 */
export const CATEGORY_PHRASES: Record<string, readonly (readonly [RegExp, number])[]> = {
  'infrastructure-limit': [
    [/\b(?:certificate|cert)s? (?:had )?expired\b/i, 1],
    [/\bexpired (?:tls |ssl |x\.?509 )?(?:certificate|cert)s?\b/i, 1],
    [
      /\b(?:disk|volume|filesystem) (?:was |is |became )?(?:full|filled up)\b|\bno space left on device\b|\bout of disk\b/i,
      1,
    ],
    [
      /\b(?:connection|connections) (?:limit|pool) (?:was |were )?(?:exhausted|reached|hit)\b|\btoo many (?:clients|connections)\b|\bmax_connections\b/i,
      1,
    ],
    [/\bfile descriptors?\b|\bulimit\b|\binodes?\b/i, 1],
    [
      /\b(?:quota|limit) (?:was |were )?(?:exceeded|reached|hit)\b|\bhit (?:the|a|its|our) (?:\w+ )?(?:limit|ceiling|quota)\b/i,
      1,
    ],
    [/\bout of memory\b|\boom[- ]?kill\w*\b|\bmemory limit\b/i, 1],
    [/\biops\b|\bthrottled by (?:the )?(?:cloud|provider|platform)\b/i, 1],
    [/\bexhausted\b/i, 0.5],
  ],
  'usage-growth': [
    [
      /\btraffic (?:had )?(?:grew|grown|growth|increased|doubled|tripled|spiked?)\b|\bgrowth in (?:traffic|usage|users|data)\b/i,
      1,
    ],
    [/\b(?:increase|surge|spike) in (?:traffic|load|usage|users|requests|sign-?ups)\b/i, 1],
    [/\busage (?:grew|growth|increased)\b|\bmore (?:users|customers|traffic) than\b/i, 1],
    [/\bcapacity planning\b|\bunder-?provisioned\b|\boutgrew\b|\bsized for\b/i, 1],
    [/\bblack friday\b|\bcyber monday\b|\bpeak (?:traffic|season|load)\b|\bwent viral\b|\bmarketing campaign\b/i, 1],
    [
      /\b(?:data|table|index) (?:had )?grown\b|\b(?:\d+x|twice|three times) (?:the |last year'?s )?(?:traffic|load|volume)\b/i,
      1,
    ],
  ],
  'third-party-change': [
    [
      /\b(?:vendor|provider|upstream|supplier|partner)(?:'s)? (?:had )?(?:changed|updated|deprecated|rolled out|modified|tightened)\b/i,
      1,
    ],
    [/\bthird[- ]party (?:change|api|provider|vendor|library|dependency)\b/i, 1],
    [/\bchanged (?:their|its) (?:api|response|format|policy|behaviou?r|defaults?)\b/i, 1],
    [/\b(?:breaking change|deprecat\w+) (?:in|of|by) (?:the )?(?:\w+ )?(?:api|sdk|library|provider|vendor)\b/i, 1],
    [/\b(?:library|sdk|dependency|package) (?:release|upgrade|update)\b|\bnew (?:major )?version of (?:the )?\w+/i, 1],
    [/\bwithout (?:prior )?notice\b|\bchange notice\b/i, 1],
  ],
  configuration: [
    [/\bmis-?configur\w*\b/i, 1],
    [
      /\b(?:config|configuration|setting|settings) (?:change|error|mistake|drift|push|typo)\b|\bwrong (?:config|configuration|setting|value)\b/i,
      1,
    ],
    [/\benv(?:ironment)? ?var(?:iable)?s?\b/i, 1],
    [/\bfeature flag\b|\bflag (?:was |had been )?(?:left|flipped|enabled|turned on)\b/i, 1],
    [/\bmissing (?:setting|variable|secret|config\w*)\b|\bincorrect (?:setting|value|config\w*)\b/i, 1],
    [/\btypo in (?:the )?(?:config|yaml|manifest|setting)\b|\bconfig(?:uration)? file\b/i, 1],
    [
      /\b(?:dns|firewall|security group|iam|routing) (?:record|rule|policy|entry) (?:was |had been )?(?:changed|wrong|removed|missing)\b/i,
      1,
    ],
  ],
  'software-bug': [
    [/\bbug\b|\bregression\b|\bdefect\b/i, 1],
    [/\bnull ?pointer\b|\bnullpointerexception\b|\bnil pointer\b|\bundefined is not\b|\bpanic\b/i, 1],
    [/\brace condition\b|\boff[- ]by[- ]one\b|\bdeadlock\b|\binfinite loop\b|\bmemory leak\b/i, 1],
    [
      /\bunhandled (?:exception|error|case|edge case)\b|\blogic error\b|\bnot idempotent\b|\bmissing (?:check|validation|null check)\b/i,
      1,
    ],
    [/\bcode change\b|\bcode path\b|\bin the code\b/i, 1],
    [/\bbug in (?:our|the) (?:code|client|service|library)\b|\brefactor\w*\b/i, 1],
  ],
};

/**
 * Suggest a root-cause category from keywords, weighted by where they appear. `unknown` (or no
 * suggestion) when nothing matched: drafts may say so, and a human decides at review.
 */
export function suggestCategory(parts: readonly TextPart[], taxonomy: Taxonomy): CategorySuggestion | undefined {
  const known = new Set(taxonomy.categories.map((c) => c.id));
  const scores = new Map<
    string,
    { score: number; first?: { phrase: string; label: string; line: number; weight: number } }
  >();
  for (const part of parts) {
    for (const [category, patterns] of Object.entries(CATEGORY_PHRASES)) {
      if (!known.has(category)) continue;
      for (const [pattern, strength] of patterns) {
        const match = pattern.exec(part.text);
        if (!match) continue;
        const entry = scores.get(category) ?? { score: 0 };
        entry.score += part.weight * strength;
        const line = part.line + (part.text.slice(0, match.index).match(/\n/g)?.length ?? 0);
        if (!entry.first || part.weight * strength > entry.first.weight) {
          entry.first = { phrase: match[0], label: part.label, line, weight: part.weight * strength };
        }
        scores.set(category, entry);
      }
    }
  }
  const ranked = [...scores.entries()].sort((a, b) => b[1].score - a[1].score);
  const [best, ...others] = ranked;
  if (!best?.[1].first) return undefined;
  const { phrase, label, line } = best[1].first;
  return {
    category: best[0],
    reason: `"${phrase}" in ${label} (line ${String(line)})`,
    alternatives: others.map(([category]) => category),
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Services of the taxonomy named in the text (by id, by id with spaces, or by name), in order of first mention. */
export function matchServices(text: string, taxonomy: Taxonomy): { id: string; phrase: string }[] {
  const found: { id: string; phrase: string; index: number }[] = [];
  for (const service of taxonomy.services) {
    const names = [service.id, service.id.replace(/-/g, ' '), service.name];
    let best: { index: number; phrase: string } | undefined;
    for (const name of names) {
      const match = new RegExp(`(?<![\\w-])${escapeRegExp(name)}(?![\\w-])`, 'i').exec(text);
      if (match && (!best || match.index < best.index)) best = { index: match.index, phrase: match[0] };
    }
    if (best) found.push({ id: service.id, ...best });
  }
  return found.sort((a, b) => a.index - b.index).map(({ id, phrase }) => ({ id, phrase }));
}

/**
 * Severity from `SEV2`, `Sev 1`, `P2`, `Priority: high`, `critical` — mapped onto the taxonomy's
 * severities by id, then by rank (P1 = rank 1), then by words in their labels.
 */
export function findSeverity(text: string, taxonomy: Taxonomy): { id: string; phrase: string } | undefined {
  const severities = [...taxonomy.severities].sort((a, b) => a.rank - b.rank);
  const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const byId = new Map(severities.map((s) => [squash(s.id), s.id]));
  const sev = /\b(sev(?:erity)?[\s-]?(\d))\b/i.exec(text);
  if (sev?.[1] && sev[2]) {
    const id = byId.get(`sev${sev[2]}`) ?? severities.find((s) => s.rank === Number(sev[2]))?.id;
    if (id) return { id, phrase: sev[1] };
  }
  const priority = /\b(P([0-4]))\b|\bpriority\s*[:=]?\s*(\d)\b/i.exec(text);
  const rankText = priority?.[2] ?? priority?.[3];
  if (priority && rankText !== undefined) {
    // P0 is the worst where it exists; P0 and P1 both map to rank 1.
    const rank = Math.max(1, Number(rankText));
    const id = severities.find((s) => s.rank === rank)?.id;
    if (id) return { id, phrase: priority[0] };
  }
  const word = /\b(?:severity|priority|sev)\s*[:=]?\s*(critical|major|high|medium|moderate|minor|low)\b/i.exec(text);
  if (word?.[1]) {
    const wanted = word[1].toLowerCase();
    const byLabel = severities.find((s) => s.label.toLowerCase().includes(wanted));
    const rankByWord: Record<string, number> = {
      critical: 1,
      major: 2,
      high: 2,
      medium: 3,
      moderate: 3,
      minor: 3,
      low: 4,
    };
    const id = byLabel?.id ?? severities.find((s) => s.rank === rankByWord[wanted])?.id;
    if (id) return { id, phrase: word[0] };
  }
  return undefined;
}

const DETECTION_WORDS: [string, RegExp][] = [
  [
    'synthetic-check',
    /\b(?:synthetic|canary (?:check|transaction|test)|uptime (?:check|monitor|robot)|blackbox|probe|pingdom)\b/i,
  ],
  [
    'alert',
    /\b(?:alert\w*|paged|page|pages|pagerduty|opsgenie|monitoring|alarm|on-?call (?:was )?(?:paged|notified))\b/i,
  ],
  [
    'customer-report',
    /\b(?:customers? (?:report\w*|complain\w*|contacted|told|tweet\w*)|support (?:ticket|team|escalat\w*)|user reports?|social media|twitter|account manager)\b/i,
  ],
  ['vendor-notice', /\b(?:vendor|provider) (?:notified|told|emailed|informed|announced)|status page\b/i],
  ['audit', /\b(?:audit|reconciliation|reconcil\w*|cost review)\b/i],
  [
    'internal-report',
    /\b(?:engineer|employee|developer|someone|team member|colleague|staff)s? (?:noticed|reported|saw|spotted)\b|\binternal report\b/i,
  ],
];

/** How the incident was detected, from the detection text first, then the detected timeline entry. */
export function findDetection(
  texts: readonly string[],
  taxonomy: Taxonomy,
): { id: string; phrase: string } | undefined {
  const known = new Set(taxonomy.detection_sources.map((d) => d.id));
  for (const text of texts) {
    let best: { id: string; phrase: string; index: number } | undefined;
    for (const [id, pattern] of DETECTION_WORDS) {
      if (!known.has(id)) continue;
      const match = pattern.exec(text);
      if (match && (!best || match.index < best.index)) best = { id, phrase: match[0], index: match.index };
    }
    if (best) return { id: best.id, phrase: best.phrase };
  }
  return undefined;
}

function number(text: string, unit?: string): number | undefined {
  const value = Number(text.replace(/[,\s]/g, ''));
  if (!Number.isFinite(value)) return undefined;
  const scale =
    unit === undefined ? 1 : /^(?:k|thousand)$/i.test(unit) ? 1_000 : /^(?:m|million)$/i.test(unit) ? 1_000_000 : 1;
  return Math.round(value * scale);
}

/** Numbers from the impact text: users affected, failed requests, error budget burned. */
export function impactNumbers(text: string): {
  users_affected?: number;
  requests_failed?: number;
  slo_budget_burned?: number;
} {
  const out: { users_affected?: number; requests_failed?: number; slo_budget_burned?: number } = {};
  const users =
    /(?:~|about |approximately |roughly |around )?(\d[\d,]*(?:\.\d+)?)\s*(k|thousand|m|million)?\s+(?:unique |distinct |active )?(?:users|customers|accounts|merchants|members|shoppers|people)\b/i.exec(
      text,
    );
  if (users?.[1]) {
    const value = number(users[1], users[2]);
    if (value !== undefined) out.users_affected = value;
  }
  const requests =
    /(\d[\d,]*(?:\.\d+)?)\s*(k|thousand|m|million)?\s+(?:failed (?:requests|calls|checkouts|payments|logins)|(?:requests|calls|checkouts|payments|api calls) (?:failed|errored|were (?:rejected|dropped|lost))|errors|5xx(?: responses| errors)?|http 5\d\d(?: responses| errors)?)\b/i.exec(
      text,
    );
  if (requests?.[1]) {
    const value = number(requests[1], requests[2]);
    if (value !== undefined) out.requests_failed = value;
  }
  const budget =
    /(\d+(?:\.\d+)?)\s*%\s+of\s+(?:the\s+|our\s+|its\s+)?(?:[\w-]+\s+){0,3}error budget/i.exec(text) ??
    /error budget[^.%\n]{0,40}?(\d+(?:\.\d+)?)\s*%/i.exec(text);
  if (budget?.[1]) {
    const value = Number(budget[1]);
    if (value >= 0 && value <= 10_000) out.slo_budget_burned = value;
  }
  return out;
}

/** Was data lost? `true`/`false` when the text says so, `undefined` when it does not. */
export function dataLoss(text: string): { lost: boolean; phrase: string } | undefined {
  const none =
    /\bno (?:customer |user )?data (?:was |were )?(?:lost|corrupted|loss)\b|\bwithout (?:any )?data loss\b|\bno data loss\b|\bdata loss\s*[:=]\s*(?:no|none)\b|\bnothing was lost\b/i.exec(
      text,
    );
  if (none) return { lost: false, phrase: none[0] };
  const lost =
    /\bdata (?:was |were )?(?:lost|corrupted|deleted)\b|\blost (?:\w+ ){0,2}(?:data|records|orders|events|messages)\b|\bdata loss\s*[:=]\s*yes\b|\bpermanently (?:lost|deleted)\b/i.exec(
      text,
    );
  if (lost) return { lost: true, phrase: lost[0] };
  return undefined;
}
