/**
 * The "header" many postmortems open with: `**Date:** 2024-03-02`, `**Authors:** …`,
 * `**Summary:** …` lines (Google SRE workbook), a bulleted list of the same, or a two-column
 * table (`| Owner | @dana |`, Atlassian). Only the nodes before the first section heading are
 * read, and a plain `Key: value` line only counts when the key is one we know, so prose that
 * happens to contain a colon is left alone.
 */
import type { RootContent, Table } from 'mdast';
import { lineIndex, plainText, span } from './markdown.ts';
import { matchSection, type SectionName } from './sections.ts';

/** What a header field means for the frontmatter. */
export type FieldKind =
  | 'title'
  | 'date'
  | 'authors'
  | 'severity'
  | 'services'
  | 'started'
  | 'detected'
  | 'mitigated'
  | 'resolved'
  | 'status'
  | 'other';

const KEYS: [FieldKind, RegExp][] = [
  ['title', /^(?:title|incident title|incident name|subject)$/],
  ['date', /^(?:date|incident date|date of (?:the )?incident|incident start date|day)$/],
  [
    'authors',
    /^(?:authors?|written by|prepared by|post ?mortem owners?|document owners?|owners?|editors?|postmortem authors?)$/,
  ],
  ['severity', /^(?:severity|sev|sev level|severity level|priority|incident priority|incident severity|level)$/],
  [
    'services',
    /^(?:services?|affected services?|services affected|impacted services?|components?|affected components?|systems? affected|affected systems?)$/,
  ],
  ['started', /^(?:start(?:ed)?|start time|impact start(?:ed)?|incident start(?:ed)?|began)$/],
  ['detected', /^(?:detected(?: at)?|detection time|time detected)$/],
  ['mitigated', /^(?:mitigated(?: at)?|mitigation time)$/],
  ['resolved', /^(?:resolved(?: at)?|end time|ended|incident end(?:ed)?|impact end(?:ed)?)$/],
  ['status', /^(?:status|document status|postmortem status)$/],
  ['other', /^(?:incident|incident id|ticket|jira|incident commander|ic|duration|responders|participants|reviewers?)$/],
];

function normalizeKey(key: string): string {
  return key
    .toLowerCase()
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The meaning of a header key, or a section it stands for (`**Root Causes:** …`). */
export function classifyKey(key: string): { kind: FieldKind } | { section: SectionName } | undefined {
  const normalized = normalizeKey(key);
  for (const [kind, pattern] of KEYS) if (pattern.test(normalized)) return { kind };
  const section = matchSection(key);
  if (section && section.name !== 'Timeline' && section.name !== 'Action items' && section.name !== 'Lessons learned') {
    return { section: section.name };
  }
  return undefined;
}

/** One header field. */
export interface Field {
  key: string;
  value: string;
  line: number;
  meaning: { kind: FieldKind } | { section: SectionName };
  /** Offsets of the whole source line(s) holding the field. */
  start: number;
  end: number;
}

/** A header block (a paragraph or a list) made of fields, replaceable as a whole. */
export interface FieldBlock {
  start: number;
  end: number;
  fields: Field[];
  /** Source lines of the block that are not fields (kept as they are). */
  kind: 'lines' | 'table';
}

const EMPHASIZED =
  /^\s*(?:[-*+]\s+)?(?:\*\*|__)\s*([A-Za-z][\w ()/&'’.-]{0,40}?)\s*(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*:)\s*(.*)$/;
const PLAIN = /^\s*(?:[-*+]\s+)?([A-Za-z][\w ()/&'’.-]{0,40}?)\s*:\s+(.*)$/;

/** Read `Key: value` lines from a paragraph or list's source. */
function linesBlock(
  source: string,
  start: number,
  end: number,
  lineAt: (offset: number) => number,
): FieldBlock | undefined {
  const text = source.slice(start, end);
  const fields: Field[] = [];
  let offset = start;
  let unknownLines = 0;
  for (const line of text.split('\n')) {
    const lineStart = offset;
    offset += line.length + 1;
    const match = EMPHASIZED.exec(line) ?? PLAIN.exec(line);
    const meaning = match ? classifyKey(match[1] ?? '') : undefined;
    if (match && meaning) {
      const value = (match[2] ?? '')
        .replace(/\s{2,}$|\\$/, '')
        .replace(/<br\s*\/?>\s*$/i, '')
        .trim();
      fields.push({
        key: (match[1] ?? '').trim(),
        value,
        line: lineAt(lineStart),
        meaning,
        start: lineStart,
        end: Math.min(offset - 1, end),
      });
    } else if (fields.length > 0 && line.trim() !== '' && !/^\s*[-*+]\s/.test(line)) {
      // A continuation line: the previous field's value goes on.
      const last = fields[fields.length - 1];
      if (last) {
        last.value = `${last.value} ${line.trim()}`.trim();
        last.end = Math.min(offset - 1, end);
      }
    } else if (line.trim() !== '') {
      unknownLines += 1;
    }
  }
  // A block counts as a header only when most of it is fields.
  if (fields.length === 0 || unknownLines > fields.length) return undefined;
  return { start, end, fields, kind: 'lines' };
}

function tableBlock(table: Table, source: string): FieldBlock | undefined {
  const rows = table.children;
  const fields: Field[] = [];
  for (const row of rows) {
    const [keyCell, valueCell, ...rest] = row.children;
    if (!keyCell || !valueCell || rest.some((cell) => plainText(cell) !== '')) return undefined;
    const key = plainText(keyCell).replace(/:$/, '');
    const meaning = classifyKey(key);
    if (!meaning) continue;
    const { start, end } = span(row);
    fields.push({
      key,
      value: source
        .slice(span(valueCell).start, span(valueCell).end)
        .replace(/^\|?\s*|\s*\|?$/g, '')
        .trim(),
      line: row.position?.start.line ?? 1,
      meaning,
      start,
      end,
    });
  }
  if (fields.length < 2) return undefined;
  const { start, end } = span(table);
  return { start, end, fields, kind: 'table' };
}

/** Header blocks among the nodes before the first section. */
export function readHeader(nodes: readonly RootContent[], source: string): FieldBlock[] {
  const lineAt = lineIndex(source);
  const blocks: FieldBlock[] = [];
  for (const node of nodes) {
    let block: FieldBlock | undefined;
    if (node.type === 'paragraph' || node.type === 'list') {
      const { start, end } = span(node);
      block = linesBlock(source, start, end, lineAt);
    } else if (node.type === 'table') {
      block = tableBlock(node, source);
    }
    if (block) blocks.push(block);
  }
  return blocks;
}

/** Strip Markdown emphasis and links from a field value: `**@dana**, [Sam](…)` → `@dana, Sam`. */
export function plainValue(value: string): string {
  return value
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__|\*|_|`)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
