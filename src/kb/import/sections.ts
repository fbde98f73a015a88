/**
 * Section names as the common postmortem templates write them (Google SRE workbook, PagerDuty,
 * Atlassian) mapped to Hindsight's names. The required ones come from `REQUIRED_SECTIONS` in
 * `src/schema/sections.ts`; the others are recognised so their content can feed the frontmatter
 * (a "Trigger" section gives `trigger`, "Action items" gives `action_items`).
 */
import { REQUIRED_SECTIONS } from '../../schema/index.ts';

/** Every section the importer knows, by Hindsight name. */
export type SectionName =
  | 'Summary'
  | 'Impact'
  | 'Timeline'
  | 'Contributing factors'
  | 'What went well'
  | 'Where we got lucky'
  | 'What went poorly'
  | 'Trigger'
  | 'Detection'
  | 'Resolution'
  | 'Action items'
  | 'Lessons learned'
  | 'Classification';

/**
 * Aliases per section, most specific first. The position in the list is a priority: when a
 * document has both "Root cause" and "Five whys", the earlier alias is the one renamed.
 */
const ALIASES: Record<SectionName, readonly RegExp[]> = {
  Summary: [
    /^summary$/,
    /^(?:executive|incident|issue|event) summary$/,
    /^overview$/,
    /^tl ?dr$/,
    /^description$/,
    /^abstract$/,
    /^what happened$/,
  ],
  Impact: [
    /^impact$/,
    /^(?:customer|user|business|production|service) impact$/,
    /^impact (?:assessment|summary|analysis)$/,
  ],
  Timeline: [
    /^timeline$/,
    /^(?:incident|detailed|event) timeline$/,
    /^timeline of events$/,
    /^chronology$/,
    /^sequence of events$/,
    /^event log$/,
  ],
  'Contributing factors': [
    /^contributing factors?$/,
    /^root causes?$/,
    /^(?:blameless )?root cause(?:s| analysis)?$/,
    /^causes?$/,
    /^why did (?:this|it) happen$/,
    /^fault$/,
    /^(?:five|5) whys$/,
  ],
  'What went well': [/^what went (?:well|right)$/, /^things that went well$/, /^went well$/, /^what worked(?: well)?$/],
  'Where we got lucky': [
    /^where we (?:got|were) lucky$/,
    /^where we got lucky$/,
    /^what was lucky$/,
    /^lucky breaks?$/,
    /^luck$/,
  ],
  'What went poorly': [
    /^what went poorly$/,
    /^what went wrong$/,
    /^what (?:didn ?t|did not) go (?:so |very )?well$/,
    /^things that went wrong$/,
    /^what could have gone better$/,
  ],
  Trigger: [/^trigger$/, /^triggers$/, /^leadup$/, /^lead up$/],
  Detection: [/^detection$/, /^how (?:was it|we) detected$/],
  Resolution: [/^resolution$/, /^recovery$/, /^mitigation$/, /^response$/, /^remediation$/],
  'Action items': [
    /^action items?$/,
    /^(?:to ?dos? )?follow ?ups?$/,
    /^follow ?up (?:tasks|items|actions)$/,
    /^corrective (?:actions|and preventative measures|and preventive measures)$/,
    /^prevent(?:at)?ive (?:actions|measures)$/,
    /^remediation (?:items|actions|tasks)$/,
    /^next steps$/,
    /^action plan$/,
    /^to ?dos?$/,
  ],
  Classification: [/^classification$/, /^category$/, /^root cause category$/],
  'Lessons learned': [
    /^lessons? learn(?:ed|t)$/,
    /^how ?d we do$/,
    /^how did we do$/,
    /^retrospective$/,
    /^reflections?$/,
  ],
};

/** The required sections of a postmortem, in template order. */
export const REQUIRED_POSTMORTEM_SECTIONS = REQUIRED_SECTIONS.postmortem as readonly SectionName[];

/** Heading text normalised for matching: lower case, no numbering, punctuation or emoji. */
export function normalizeHeading(text: string): string {
  return (
    text
      .toLowerCase()
      // A note in parentheses is not part of the name: "Timeline (all times UTC)".
      .replace(/\s*\([^)]*\)\s*/g, ' ')
      .replace(/[’']/g, ' ')
      .replace(/^\s*(?:\d+(?:\.\d+)*[.)]?|[ivx]+\.)\s+/, '')
      .replace(/[^a-z0-9 ]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/** The Hindsight section a heading text stands for, with its alias rank (0 = the exact name). */
export function matchSection(text: string): { name: SectionName; rank: number } | undefined {
  const normalized = normalizeHeading(text);
  for (const [name, patterns] of Object.entries(ALIASES) as [SectionName, readonly RegExp[]][]) {
    const rank = patterns.findIndex((pattern) => pattern.test(normalized));
    if (rank !== -1) return { name, rank };
  }
  return undefined;
}

/** Short guidance written into a required section the original did not have. */
export const PLACEHOLDER_GUIDANCE: Record<string, string> = {
  Summary: 'What happened, in two or three sentences a new hire would understand.',
  Impact: 'Who was affected, how, for how long, and what it cost (requests, users, error budget, data).',
  Timeline: 'Key moments with times and zones: impact began, detected, mitigated, resolved.',
  'Contributing factors':
    'The conditions that together made this possible. Blameless: systems and decisions, not people; usually more than one.',
  'What went well': 'What worked: alerts that fired, tools and people that helped, practices worth keeping.',
  'Where we got lucky': 'What helped by chance rather than by design: the risks we should not count on twice.',
};
