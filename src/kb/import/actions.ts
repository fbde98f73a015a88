/**
 * Action items from an "Action items" / "Corrective actions" / "Follow-ups" section, written as a
 * table (`| Action | Owner | Due | Ticket |`, the Google and Atlassian templates) or a list
 * (`- [ ] Add a connect timeout (@dana, due 2024-04-01) https://tracker/PAY-142`).
 *
 * What the text does not say is left `undefined` here; the draft fills placeholders and reports
 * them, so nothing invented passes for something read.
 */
import type { List, ListItem, RootContent, Table } from 'mdast';
import type { ActionItem } from '../../schema/index.ts';
import { type Day, parseDueDate } from './datetime.ts';
import { plainText } from './markdown.ts';

/** An action item as far as the original says. */
export interface FoundAction {
  title: string;
  owner?: string;
  due?: Day;
  /** The due date as written, when it could not be read. */
  dueText?: string;
  status: ActionItem['status'];
  kind: ActionItem['kind'];
  /** How the kind was decided: written in the original, or guessed from keywords. */
  kindFrom: 'written' | 'keywords' | 'default';
  ticket?: string;
  line: number;
}

const KIND_WORDS: [ActionItem['kind'], RegExp][] = [
  [
    'detect',
    /\b(?:alert(?:s|ing)?|monitor(?:s|ing)?|dashboards?|detect\w*|observab\w*|metrics?|slos?|paging|synthetic|canary|probes?|logging)\b/i,
  ],
  [
    'mitigate',
    /\b(?:runbooks?|playbooks?|roll ?back|failover|fail over|kill switch|circuit breakers?|rate limit\w*|load shedding|degrade\w*|fallbacks?|recover\w* faster|automat\w* (?:recovery|remediation|rollback))\b/i,
  ],
  [
    'process',
    /\b(?:process|training|train|document\w*|docs|checklists?|review|communicat\w*|policy|policies|handbook|game ?days?|drills?|onboarding|status page|escalation)\b/i,
  ],
];

/** The kind of an action item: written (`prevent`, `mitigate`, Google's `repair`…) or guessed from its words. */
export function actionKind(
  title: string,
  written?: string,
): { kind: ActionItem['kind']; from: FoundAction['kindFrom'] } {
  const w = written?.toLowerCase().trim() ?? '';
  if (/\bprevent/.test(w)) return { kind: 'prevent', from: 'written' };
  if (/\bdetect/.test(w)) return { kind: 'detect', from: 'written' };
  if (/\bmitigat/.test(w)) return { kind: 'mitigate', from: 'written' };
  if (/\bprocess/.test(w)) return { kind: 'process', from: 'written' };
  if (/\brepair|\bfix/.test(w)) return { kind: 'prevent', from: 'written' };
  for (const [kind, pattern] of KIND_WORDS) if (pattern.test(title)) return { kind, from: 'keywords' };
  return { kind: 'prevent', from: 'default' };
}

export function actionStatus(text: string, checked?: boolean | null): ActionItem['status'] {
  if (checked === true) return 'done';
  if (/\b(?:won'?t (?:do|fix)|wontfix|cancel+ed|dropped|not doing)\b/i.test(text)) return 'wont-do';
  if (/\b(?:done|completed?|fixed|closed|shipped|merged)\b/i.test(text)) return 'done';
  if (/\b(?:in[- ]progress|started|wip|ongoing)\b/i.test(text)) return 'in-progress';
  return 'open';
}

const URL = /https?:\/\/[^\s)>\]]+/;

function cleanTitle(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/^\s*(?:\[[ xX]\]\s*)?(?:TODO|AI|Action)\s*[:-]\s*/i, '')
    .replace(/[\s,;:–—-]+$/, '')
    .trim();
}

interface Columns {
  title: number;
  owner: number;
  due: number;
  kind: number;
  status: number;
  ticket: number;
}

function columns(headers: readonly string[]): Columns {
  const find = (pattern: RegExp, taken: readonly number[]) =>
    headers.findIndex((header, i) => !taken.includes(i) && pattern.test(header));
  const owner = find(/\b(?:owners?|assignees?|assigned|who|responsible|dri|team)\b/i, []);
  const due = find(/\b(?:due|deadline|eta|target|by when|date)\b/i, [owner]);
  const kind = find(/\b(?:type|kind|category|class)\b/i, [owner, due]);
  const status = find(/\b(?:status|state|done)\b/i, [owner, due, kind]);
  const ticket = find(/\b(?:tickets?|bugs?|issues?|jira|links?|tracking|url|ref(?:erence)?)\b/i, [
    owner,
    due,
    kind,
    status,
  ]);
  let title = find(/\b(?:action|item|task|description|what|title|remediation|follow)/i, [
    owner,
    due,
    kind,
    status,
    ticket,
  ]);
  if (title === -1) title = headers.findIndex((_, i) => ![owner, due, kind, status, ticket].includes(i));
  return { title, owner, due, kind, status, ticket };
}

function cellUrl(text: string): string | undefined {
  return URL.exec(text)?.[0];
}

function fromTable(
  table: Table,
  rawCells: (row: number, column: number) => string,
  context: Day | undefined,
  now: Date,
): FoundAction[] {
  const [header, ...rows] = table.children;
  if (!header) return [];
  const cols = columns(header.children.map((cell) => plainText(cell)));
  return rows.flatMap((row, r) => {
    const cell = (i: number) => (i === -1 ? '' : plainText(row.children[i] ?? { type: 'text', value: '' }));
    const title = cleanTitle(cell(cols.title));
    if (title.length < 5) return [];
    const ownerText = cell(cols.owner).trim();
    const dueText = cell(cols.due).trim();
    const due = dueText === '' ? undefined : parseDueDate(dueText, context, now);
    const ticket = cellUrl(rawCells(r + 1, cols.ticket)) ?? cellUrl(rawCells(r + 1, cols.title));
    const ticketText = cell(cols.ticket).trim();
    const { kind, from } = actionKind(title, cell(cols.kind));
    const owner = /^(?:n\/?a|tbd|todo|none|-+|\?+)?$/i.test(ownerText) ? undefined : ownerText;
    const found: FoundAction = {
      // A ticket named but not linked ("Bug 5554823") stays in the title so it is not lost.
      title:
        ticket === undefined && ticketText !== '' && !/^(?:n\/?a|tbd|todo|none|-+)$/i.test(ticketText)
          ? `${title} (${ticketText})`
          : title,
      status: cols.status === -1 ? actionStatus('') : actionStatus(cell(cols.status)),
      kind,
      kindFrom: from,
      line: row.position?.start.line ?? 1,
      ...(owner ? { owner } : {}),
      ...(due ? { due } : dueText !== '' && !/^(?:n\/?a|tbd|-+)$/i.test(dueText) ? { dueText } : {}),
      ...(ticket ? { ticket } : {}),
    };
    return [found];
  });
}

const OWNER_PATTERNS = [
  /\b(?:owner|assignee|assigned to|who|dri)\s*[:=]?\s*(@?[\w.-]+(?: [A-Z][\w.-]+)?)/i,
  /(?:^|[\s(,])(@[\w][\w.-]*)/,
];
const DUE_PATTERN = /\b(?:due|by|deadline|eta|target)\s*[:=]?\s*([A-Za-z0-9][\w ,/.-]{2,24})/i;

function fromListItem(item: ListItem, source: string, context: Day | undefined, now: Date): FoundAction | undefined {
  const first = item.children[0];
  if (first?.type !== 'paragraph') return undefined;
  const text = plainText(first);
  const raw = source.slice(first.position?.start.offset ?? 0, first.position?.end.offset ?? 0);
  let title = text;
  let owner: string | undefined;
  let due: Day | undefined;
  let dueText: string | undefined;
  const ticket = cellUrl(raw);
  if (ticket) title = title.replace(ticket, ' ');

  const dueMatch = DUE_PATTERN.exec(title);
  if (dueMatch) {
    const parsed = parseDueDate(dueMatch[1] ?? '', context, now);
    if (parsed) {
      due = parsed;
      title = title.replace(dueMatch[0], ' ');
    } else if (/^due\b/i.test(dueMatch[0])) {
      dueText = (dueMatch[1] ?? '').trim();
    }
  }
  // Tidy what the due date and the link left behind: `(Bob, )` → `(Bob)`, `( )` → nothing.
  title = title
    .replace(/\(\s*[,;]?\s*\)/g, ' ')
    .replace(/\(\s*[,;]\s*/g, '(')
    .replace(/\s*[,;]\s*\)/g, ')')
    .replace(/\s+/g, ' ')
    .trim();
  for (const pattern of OWNER_PATTERNS) {
    const match = pattern.exec(title);
    if (match?.[1]) {
      owner = match[1].trim();
      title = title.replace(match[0].trimStart().startsWith('(') ? match[0].slice(1) : match[0], ' ');
      break;
    }
  }
  // A trailing "(Name)" or "— Name" after the action names its owner when nothing else did.
  if (!owner) {
    const trailing = /(?:\(([A-Z][a-z]+(?: [A-Z][a-z]+)?)\)|[–—]\s*([A-Z][a-z]+(?: [A-Z][a-z]+)?))\s*$/.exec(title);
    const name = trailing?.[1] ?? trailing?.[2];
    if (trailing && name) {
      owner = name;
      title = title.slice(0, trailing.index);
    }
  }
  title = cleanTitle(
    title
      .replace(/\(\s*[,;]?\s*\)/g, ' ')
      .replace(/\(\s*[,;]\s*/g, '(')
      .replace(/\s*[,;]\s*\)/g, ')'),
  );
  if (title.length < 5) return undefined;
  const { kind, from } = actionKind(title, /\[(prevent|detect|mitigate|process)\]/i.exec(text)?.[1]);
  return {
    title: title.replace(/\s*\[(?:prevent|detect|mitigate|process)\]\s*/i, ' ').trim(),
    status: actionStatus(text, item.checked),
    kind,
    kindFrom: from,
    line: item.position?.start.line ?? 1,
    ...(owner ? { owner } : {}),
    ...(due ? { due } : {}),
    ...(dueText ? { dueText } : {}),
    ...(ticket ? { ticket } : {}),
  };
}

function fromList(list: List, source: string, context: Day | undefined, now: Date): FoundAction[] {
  return list.children.flatMap((item) => {
    const found = fromListItem(item, source, context, now);
    return found ? [found] : [];
  });
}

/**
 * Read the action items of a section.
 *
 * @param nodes the section's nodes (after its heading)
 * @param context the incident's day, to place due dates written without a year
 */
export function readActions(
  nodes: readonly RootContent[],
  source: string,
  context: Day | undefined,
  now: Date,
): FoundAction[] {
  const found: FoundAction[] = [];
  for (const node of nodes) {
    if (node.type === 'table') {
      const raw = (row: number, column: number) => {
        const cell = node.children[row]?.children[column];
        return cell ? source.slice(cell.position?.start.offset ?? 0, cell.position?.end.offset ?? 0) : '';
      };
      found.push(...fromTable(node, raw, context, now));
    } else if (node.type === 'list') {
      found.push(...fromList(node, source, context, now));
    }
  }
  return found;
}
