/**
 * Turn one existing postmortem (Markdown without frontmatter) into a Hindsight draft: infer as
 * much frontmatter as the text supports, reshape the body to the template's required sections,
 * and list what a human still has to do. Pure: text in, result out; ids, file names and writing
 * are the caller's (`./render.ts`, `scripts/commands/import.ts`).
 *
 * The steps, in order:
 * 1. parse once (remark + GFM) and find the title, the header fields and the section outline;
 * 2. plan body edits: drop the title heading, level the headings, rename aliases of required
 *    sections ("Root Causes" → "Contributing factors"), promote required sections nested under a
 *    wrapper ("Lessons Learned" → "What went well"), turn header fields that are sections
 *    (`**Summary:** …`) into sections, add the required sections still missing;
 * 3. infer frontmatter from the sections, the header and the timeline;
 * 4. fill what could not be inferred with placeholders that validate as a draft, and say so.
 */
import type { Heading, RootContent } from 'mdast';
import type { ActionItem, Taxonomy } from '../../schema/index.ts';
import { normalizeText } from '../frontmatter.ts';
import { taxonomyDefaults } from '../scaffold.ts';
import { readActions } from './actions.ts';
import { addDays, type Day, dayOf, findDate, findStamp, formatDay, formatStamp, type Stamp } from './datetime.ts';
import {
  dataLoss,
  findDetection,
  findSeverity,
  impactNumbers,
  matchServices,
  suggestCategory,
  type CategorySuggestion,
  type TextPart,
} from './infer.ts';
import {
  applyEdits,
  type Edit,
  lineIndex,
  outline,
  type OutlineEntry,
  parseMarkdown,
  plainText,
  span,
} from './markdown.ts';
import { type Field, plainValue, readHeader } from './metadata.ts';
import { matchSection, PLACEHOLDER_GUIDANCE, REQUIRED_POSTMORTEM_SECTIONS, type SectionName } from './sections.ts';
import { milestones, readTimeline, type Milestone, type TimelineEntry } from './timeline.ts';

/** Something the importer wants a person to know about one field or part of the body. */
export interface Note {
  /** Frontmatter field path, e.g. `severity`, `action_items[2].owner`; absent for body notes. */
  field?: string;
  /** 1-based line in the original file, when the note is about a place in it. */
  line?: number;
  message: string;
}

/** The frontmatter of an imported draft, without its id (assigned when the file is written). */
export interface DraftData {
  title: string;
  status: 'draft';
  summary: string;
  severity: string;
  category: string;
  trigger: string;
  services: string[];
  started: string;
  detected?: string;
  mitigated?: string;
  resolved?: string;
  detection: string;
  impact: {
    summary: string;
    users_affected?: number;
    requests_failed?: number;
    slo_budget_burned?: number;
    data_loss: boolean;
  };
  action_items: ActionItem[];
  authors: string[];
  tags: string[];
}

export interface Analysis {
  data: DraftData;
  /** The reshaped body (links not yet checked against the knowledge base; see `./render.ts`). */
  body: string;
  /** Year of `started`, for the id. */
  year: number;
  /** Things that could not be inferred or were assumed: a person must check these. */
  needsHuman: Note[];
  /** What was inferred, and from where. */
  inferred: Note[];
  /** What changed in the body. */
  changes: string[];
  /** The category suggestion and why, when there is one. */
  category?: CategorySuggestion;
}

export interface AnalyzeOptions {
  /** The original file's name, for the title when there is no heading. */
  fileName: string;
  taxonomy: Taxonomy;
  /** "Today": placeholder due dates, days for timelines with none. */
  now: Date;
  /** Days from `now` for the placeholder due date of action items without one. Default 30. */
  dueInDays?: number;
}

/** Why a file cannot be imported, or `undefined` when it can. */
export function importProblem(text: string): string | undefined {
  const source = normalizeText(text);
  if (/^(?:---|\+\+\+)[ \t]*[a-z]*[ \t]*\n/.test(source)) {
    return 'it already has a frontmatter block; import reads Markdown without one (for a Hindsight document, copy it into content/ instead)';
  }
  if (source.trim() === '') return 'it is empty';
  if (source.includes('\u0000')) return 'it is not text (it contains NUL bytes)';
  return undefined;
}

const TITLE_PREFIX =
  /^(?:\[[^\]]{1,20}\]\s*)?(?:(?:incident\s+)?(?:post[- ]?mortem|post[- ]incident review|pir|incident (?:report|review)|retro(?:spective)?|rca)\s*[:–—|-]\s*)/i;

/** The title without template prefixes: `Postmortem: Checkout outage` → `Checkout outage`. */
export function cleanTitle(text: string): string {
  const stripped = text.replace(TITLE_PREFIX, '').trim();
  return stripped.length >= 5 ? stripped : text.trim();
}

function titleFromFileName(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.(?:md|markdown|txt)$/i, '');
  const words = base
    .replace(/[-_.]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return words.length > 0 ? words.charAt(0).toUpperCase() + words.slice(1) : 'Imported postmortem';
}

/** Plain text of a section or field, paragraphs joined by blank lines. */
function sectionText(nodes: readonly RootContent[]): string {
  return nodes
    .map((node) =>
      node.type === 'list' ? node.children.map((item) => `- ${plainText(item)}`).join('\n') : plainText(node),
    )
    .filter((text) => text !== '')
    .join('\n\n');
}

/** At most `max` characters, cut at a sentence (or word) boundary. */
function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const sentence = cut.lastIndexOf('. ');
  if (sentence > max / 2) return cut.slice(0, sentence + 1);
  return `${cut.slice(0, cut.lastIndexOf(' ')).replace(/[,;:]$/, '')}…`;
}

function firstSentence(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const end = flat.search(/[.!?](?:\s|$)/);
  return clip(end === -1 ? flat : flat.slice(0, end + 1), max).replace(/\.$/, '');
}

/** A known section of the document: a heading of the original, or a header field turned into one. */
interface Section {
  name: SectionName;
  /** Plain text of the section's content. */
  text: string;
  /** Nodes after the heading (empty for a field). */
  nodes: RootContent[];
  line: number;
  heading?: OutlineEntry;
  field?: Field;
}

function isRequired(name: SectionName): boolean {
  return REQUIRED_POSTMORTEM_SECTIONS.includes(name);
}

function splitList(value: string): string[] {
  return plainValue(value)
    .split(/\s*(?:[,;]|\band\b|&)\s*/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** Analyse one original postmortem. */
export function analyzePostmortem(text: string, options: AnalyzeOptions): Analysis {
  const { taxonomy, now } = options;
  const source = normalizeText(text);
  const root = parseMarkdown(source);
  const lineAt = lineIndex(source);
  const needsHuman: Note[] = [];
  const inferred: Note[] = [];
  const changes: string[] = [];
  const edits: Edit[] = [];

  // 1. Title, outline, header.
  const headings = outline(root, source);
  // The title: the first heading when it is an H1 that is not a section name, and either the
  // only H1 or the very first thing in the file (documents that use H1 for every section).
  const firstHeading = headings[0];
  const titleHeading =
    firstHeading?.depth === 1 &&
    !matchSection(firstHeading.text) &&
    (headings.filter((h) => h.depth === 1).length <= 1 || firstHeading.index === 0)
      ? firstHeading
      : undefined;
  const sections = headings.filter((h) => h !== titleHeading);
  const minDepth = Math.min(...sections.map((h) => h.depth));
  const shift = sections.length > 0 && minDepth !== 2 ? 2 - minDepth : 0;
  const depthOf = (h: OutlineEntry) => Math.min(6, Math.max(1, h.depth + shift));
  if (shift !== 0)
    changes.push(
      `headings moved ${shift > 0 ? 'down' : 'up'} ${String(Math.abs(shift))} level(s) so sections are level-2 ("##") headings`,
    );

  const firstSection = sections[0];
  const preambleStart = titleHeading ? titleHeading.index + 1 : 0;
  const preambleEnd = firstSection ? firstSection.index : root.children.length;
  const preamble = root.children.slice(preambleStart, preambleEnd);
  const blocks = readHeader(preamble, source);
  const fields = blocks.flatMap((b) => b.fields);
  const fieldOf = (kind: string) => fields.find((f) => 'kind' in f.meaning && f.meaning.kind === kind);

  let title: string;
  const titleField = fieldOf('title');
  if (titleHeading) {
    title = cleanTitle(titleHeading.text);
    inferred.push({
      field: 'title',
      line: titleHeading.node.position?.start.line ?? 1,
      message: 'from the first heading',
    });
    edits.push({
      start: titleHeading.start,
      end: nextStart(root.children, titleHeading.index, source.length),
      text: '',
    });
    changes.push('title heading moved into the frontmatter');
  } else if (titleField) {
    title = cleanTitle(plainValue(titleField.value));
    inferred.push({ field: 'title', line: titleField.line, message: `from the "${titleField.key}" field` });
  } else {
    const firstNode = root.children[0];
    const boldLine =
      firstNode?.type === 'paragraph' && firstNode.children.length === 1 && firstNode.children[0]?.type === 'strong';
    if (firstNode && boldLine) {
      title = cleanTitle(plainText(firstNode));
      inferred.push({ field: 'title', line: firstNode.position?.start.line ?? 1, message: 'from the bold first line' });
      edits.push({ start: span(firstNode).start, end: nextStart(root.children, 0, source.length), text: '' });
    } else {
      title = titleFromFileName(options.fileName);
      needsHuman.push({ field: 'title', message: `no title heading; made one from the file name ("${title}")` });
    }
  }
  if (title.length < 5) title = `Imported postmortem: ${title}`;
  if (title.length > 160) title = clip(title, 160);

  // 2. Sections: the best heading for each name (lowest alias rank, then shallowest, then first).
  const byName = new Map<SectionName, Section>();
  const candidates = sections
    .map((heading) => ({ heading, match: matchSection(heading.text) }))
    .filter((c): c is { heading: OutlineEntry; match: { name: SectionName; rank: number } } => c.match !== undefined)
    .sort(
      (a, b) =>
        a.match.rank - b.match.rank || depthOf(a.heading) - depthOf(b.heading) || a.heading.start - b.heading.start,
    );
  for (const { heading, match } of candidates) {
    if (byName.has(match.name)) continue;
    const nodes = root.children.slice(heading.index + 1, heading.endIndex);
    byName.set(match.name, {
      name: match.name,
      text: sectionText(nodes),
      nodes,
      line: heading.node.position?.start.line ?? 1,
      heading,
    });
  }
  // Header fields that are sections (`**Root Causes:** …`) count when no heading has that name.
  const fieldSections: Section[] = [];
  for (const field of fields) {
    if (!('section' in field.meaning)) continue;
    const name = field.meaning.section;
    if (byName.has(name) || field.value.trim() === '') continue;
    const section: Section = { name, text: plainValue(field.value), nodes: [], line: field.line, field };
    byName.set(name, section);
    fieldSections.push(section);
  }

  // Heading edits: level, rename, promote.
  const newDepth = new Map<OutlineEntry, number>(sections.map((h) => [h, depthOf(h)]));
  const renamed = new Map<OutlineEntry, string>();
  const removed = new Set<OutlineEntry>();
  for (const name of REQUIRED_POSTMORTEM_SECTIONS) {
    const section = byName.get(name);
    const heading = section?.heading;
    if (!heading) continue;
    if (section.name === name && matchSection(heading.text)?.rank !== 0) {
      renamed.set(heading, name);
      changes.push(`"${heading.text}" renamed "${name}" (line ${String(section.line)})`);
    }
    if ((newDepth.get(heading) ?? 2) > 2) {
      // Promote the wrapper's whole subtree one level, and drop the wrapper if it is empty.
      const parent = [...sections]
        .reverse()
        .find((h) => h.start < heading.start && (newDepth.get(h) ?? 2) < (newDepth.get(heading) ?? 2));
      const level = newDepth.get(heading) ?? 2;
      if (parent && !removed.has(parent)) {
        for (const h of sections) {
          if (h.start > parent.start && h.start < parent.end)
            newDepth.set(h, Math.max(2, (newDepth.get(h) ?? 2) - (level - 2)));
        }
        if (source.slice(parent.headingEnd, parent.ownEnd).trim() === '') {
          removed.add(parent);
          changes.push(
            `empty "${parent.text}" heading removed; its subsections are now sections (line ${String(parent.node.position?.start.line ?? 1)})`,
          );
        } else {
          changes.push(
            `subsections of "${parent.text}" promoted to sections (line ${String(parent.node.position?.start.line ?? 1)})`,
          );
        }
      } else {
        newDepth.set(heading, 2);
      }
    }
  }
  for (const heading of sections) {
    if (removed.has(heading)) {
      edits.push({
        start: heading.start,
        end:
          heading.ownEnd === heading.headingEnd
            ? heading.headingEnd
            : nextStart(root.children, heading.index, source.length),
        text: '',
      });
      continue;
    }
    const depth = newDepth.get(heading) ?? heading.depth;
    const name = renamed.get(heading);
    if (depth === heading.depth && name === undefined && !isSetext(heading.node, source)) continue;
    edits.push({
      start: heading.start,
      end: heading.headingEnd,
      text: `${'#'.repeat(depth)} ${name ?? headingSource(heading.node, source)}`,
    });
  }

  // Header fields that are sections become sections in place of their lines.
  for (const block of blocks) {
    const converted =
      block.kind === 'lines' ? fieldSections.filter((s) => s.field && block.fields.includes(s.field)) : [];
    if (converted.length === 0) continue;
    const kept = block.fields.filter((f) => !converted.some((s) => s.field === f));
    const keptText = kept.map((f) => source.slice(f.start, f.end)).join('\n');
    const sectionsText = converted.map((s) => `## ${s.name}\n\n${(s.field?.value ?? '').trim()}`).join('\n\n');
    edits.push({
      start: block.start,
      end: block.end,
      text: [keptText, sectionsText].filter((t) => t !== '').join('\n\n'),
    });
    for (const s of converted)
      changes.push(`"${s.field?.key ?? ''}" field made a "## ${s.name}" section (line ${String(s.line)})`);
  }

  // Required sections still missing: add them in template order, near their neighbours.
  const present = (name: SectionName) => byName.get(name);
  const anchorEnd = (s: Section) => {
    const heading = s.heading;
    if (heading) {
      const level = newDepth.get(heading) ?? 2;
      const next = sections.find((h) => h.start > heading.start && !removed.has(h) && (newDepth.get(h) ?? 2) <= level);
      return next ? next.start : source.length;
    }
    const block = blocks.find((b) => s.field && b.fields.includes(s.field));
    return block ? block.end : source.length;
  };
  const anchorStart = (s: Section) =>
    s.heading ? s.heading.start : (blocks.find((b) => s.field && b.fields.includes(s.field))?.end ?? 0);

  // The category suggestion, and a Classification section saying why (placed before the sections added below).
  const causes = present('Contributing factors');
  const weighted = (name: SectionName, weight: number): TextPart[] => {
    const section = present(name);
    return section
      ? [
          {
            label: section.heading?.text ?? section.field?.key ?? name,
            text: sourceOf(section, source),
            line: section.line,
            weight,
          },
        ]
      : [];
  };
  const parts: TextPart[] = [
    ...(causes
      ? [
          {
            label: causes.heading?.text ?? causes.field?.key ?? 'Root cause',
            text: sourceOf(causes, source),
            line: causes.line,
            weight: 3,
          },
        ]
      : []),
    ...weighted('Trigger', 2),
    ...weighted('Summary', 1),
    ...weighted('Resolution', 1),
    { label: 'the title', text: title, line: titleHeading?.node.position?.start.line ?? 1, weight: 1 },
  ];
  const suggestion = suggestCategory(parts, taxonomy);
  const draftCategory = String(taxonomyDefaults('postmortem', taxonomy)['category']);
  const category = suggestion?.category ?? draftCategory;
  if (suggestion) {
    const also = suggestion.alternatives.length > 0 ? `; also matched: ${suggestion.alternatives.join(', ')}` : '';
    needsHuman.push({
      field: 'category',
      message: `suggested "${suggestion.category}" because of ${suggestion.reason}${also}; confirm or change`,
    });
  } else {
    needsHuman.push({
      field: 'category',
      message: `no keyword suggests a category; "${draftCategory}" until someone classifies it`,
    });
  }
  if (!present('Classification') && !/^#{1,6}\s+classification\b/im.test(source)) {
    const causesEnd = causes ? anchorEnd(causes) : undefined;
    const text = suggestion
      ? `TODO: \`hindsight import\` suggests **${suggestion.category}**, because of ${suggestion.reason}. Confirm or change \`category\` in the frontmatter, and say why here.`
      : 'TODO: not classified yet. Pick the `category` where the lasting fix lives (see content/taxonomy.yaml) and say why here.';
    const at = causesEnd ?? source.length;
    edits.push({ start: at, end: at, text: `${needsBlankBefore(source, at)}## Classification\n\n${text}\n\n` });
    changes.push('"## Classification" added with the category suggestion');
  }

  // The template's order, including sections that are not required, so an added section lands where the template has it.
  const order: readonly SectionName[] = [
    'Summary',
    'Impact',
    'Timeline',
    'Contributing factors',
    'What went well',
    'What went poorly',
    'Where we got lucky',
  ];
  for (const [k, name] of order.entries()) {
    if (present(name) || !isRequired(name)) continue;
    const before = order
      .slice(0, k)
      .reverse()
      .map(present)
      .find((s) => s !== undefined);
    const after = order
      .slice(k + 1)
      .map(present)
      .find((s) => s !== undefined);
    const firstContent = firstSection ? firstSection.start : source.length;
    const at = before ? anchorEnd(before) : after ? anchorStart(after) : firstContent;
    const body = `TODO: ${PLACEHOLDER_GUIDANCE[name] ?? ''} This section was not in the original postmortem.`;
    edits.push({ start: at, end: at, text: `${needsBlankBefore(source, at)}## ${name}\n\n${body}\n\n` });
    changes.push(`"## ${name}" added (not in the original)`);
    needsHuman.push({ message: `section "${name}" was not in the original: write it` });
  }

  // 3. Inference.
  const docDay = documentDay(fieldOf('date'), title, source, now);
  if (docDay.from)
    inferred.push({ message: `incident date ${formatDay(docDay.day ?? dayOf(now))} from ${docDay.from}` });

  // Timeline.
  const timelineSection = present('Timeline');
  const timeline = timelineSection?.heading
    ? readTimeline(timelineSection.nodes, source, docDay.day, now, timelineSection.heading.text)
    : readTimeline(root.children.slice(preambleEnd), source, docDay.day, now);
  if (timeline.declaredZone)
    inferred.push({ message: `timeline times read in ${timeline.declaredZone}, as the timeline declares` });
  const picked = milestones(timeline.entries);
  const foundStamps: Stamps = {};
  for (const field of ['started', 'detected', 'mitigated', 'resolved'] as const) {
    const explicit = fieldOf(field);
    const stamp = explicit
      ? findStamp(plainValue(explicit.value), { ...(docDay.day ? { day: docDay.day } : {}), now })
      : undefined;
    if (explicit && stamp) {
      foundStamps[field] = { at: formatStamp(stamp), stamp, line: explicit.line, why: `the "${explicit.key}" field` };
      continue;
    }
    const milestone: Milestone | undefined = picked[field];
    if (milestone) {
      foundStamps[field] = {
        at: milestone.entry.at,
        stamp: milestone.entry.stamp,
        line: milestone.entry.line,
        why: `${milestone.reason} (timeline, line ${String(milestone.entry.line)})`,
      };
    }
  }
  const stamps = keepOrdered(foundStamps, now, needsHuman);
  if (docDay.day === undefined && timeline.entries.some((e) => e.stamp.yearGuessed)) {
    const year = timeline.entries[0]?.stamp.day.year ?? now.getUTCFullYear();
    needsHuman.push({
      field: 'started',
      message: `no year is written anywhere; ${String(year)} assumed (the latest year that puts the timeline before today)`,
    });
  }
  for (const [field, found] of Object.entries(stamps))
    inferred.push({ field, line: found.line, message: `${found.at} from ${found.why}` });
  zoneNotes(stamps, timeline.entries, needsHuman);
  const placeholderDay = docDay.day ?? dayOf(now);
  let started = stamps.started?.at;
  if (!started) {
    started = `${formatDay(placeholderDay)}T00:00:00Z`;
    needsHuman.push({
      field: 'started',
      message: docDay.day
        ? `no time of impact found; midnight UTC of the incident date is a placeholder`
        : `no date or time found anywhere; today's date is a placeholder`,
    });
  }
  if (timeline.entries.length === 0)
    needsHuman.push({ field: 'started', message: 'no timeline entries with times were found' });
  for (const field of ['detected', 'mitigated', 'resolved'] as const) {
    if (!stamps[field] && timeline.entries.length > 0)
      needsHuman.push({ field, message: `no timeline entry says when it was ${field}; left empty` });
  }

  // Text fields.
  const summarySection = present('Summary');
  let summary = summarySection ? clip(summarySection.text, 1200) : '';
  if (summary.length >= 20)
    inferred.push({
      field: 'summary',
      line: summarySection?.line ?? 1,
      message: `from "${summarySection?.heading?.text ?? summarySection?.field?.key ?? 'Summary'}"`,
    });
  else {
    const firstParagraph = preamble.find(
      (n) => n.type === 'paragraph' && !blocks.some((b) => b.start === span(n).start),
    );
    const fallback = firstParagraph ? clip(plainText(firstParagraph), 1200) : '';
    if (fallback.length >= 20) {
      summary = fallback;
      inferred.push({
        field: 'summary',
        line: firstParagraph?.position?.start.line ?? 1,
        message: 'from the first paragraph',
      });
    } else {
      summary = 'TODO: what happened, who was affected and for how long, in one to three sentences.';
      needsHuman.push({ field: 'summary', message: 'no summary found; write one' });
    }
  }

  const impactSection = present('Impact');
  let impactSummary = impactSection ? clip(impactSection.text, 600) : '';
  if (impactSummary.length >= 10)
    inferred.push({
      field: 'impact.summary',
      line: impactSection?.line ?? 1,
      message: `from "${impactSection?.heading?.text ?? impactSection?.field?.key ?? 'Impact'}"`,
    });
  else {
    impactSummary = 'TODO: what users saw, in their words';
    needsHuman.push({ field: 'impact.summary', message: 'no impact section found; describe what users saw' });
  }
  const numbers = impactNumbers(impactSection?.text ?? summary);
  for (const [key, value] of Object.entries(numbers))
    inferred.push({ field: `impact.${key}`, message: `${String(value)} from the impact text; check it` });
  const loss = dataLoss(impactSection?.text ?? '') ?? dataLoss(source);
  if (loss) inferred.push({ field: 'impact.data_loss', message: `${String(loss.lost)} from "${loss.phrase}"` });
  else
    needsHuman.push({
      field: 'impact.data_loss',
      message: 'the original does not say whether data was lost; false is a placeholder',
    });

  const triggerSection = present('Trigger');
  const firstEntry = [...timeline.entries].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))[0];
  let trigger = triggerSection ? firstSentence(triggerSection.text) : '';
  if (trigger.length >= 3)
    inferred.push({
      field: 'trigger',
      line: triggerSection?.line ?? 1,
      message: `from "${triggerSection?.heading?.text ?? triggerSection?.field?.key ?? 'Trigger'}"`,
    });
  else {
    const triggered = /\btriggered by ([^.\n]{3,160})/i.exec(source);
    if (triggered?.[1]) {
      trigger = plainValue(triggered[1]).replace(/[,;:]$/, '');
      inferred.push({ field: 'trigger', line: lineAt(triggered.index), message: 'from "triggered by …"' });
      needsHuman.push({
        field: 'trigger',
        line: lineAt(triggered.index),
        message: `read from prose ("triggered by ${clip(trigger, 60)}"); check it`,
      });
    } else if (firstEntry && firstEntry.text.length >= 3) {
      trigger = clip(firstEntry.text.split(/\s*[;—]\s*/)[0] ?? firstEntry.text, 160);
      inferred.push({ field: 'trigger', line: firstEntry.line, message: 'from the earliest timeline entry' });
      needsHuman.push({
        field: 'trigger',
        line: firstEntry.line,
        message: `taken from the earliest timeline entry ("${clip(trigger, 60)}"); check it`,
      });
    } else {
      trigger = 'TODO: what set it off';
      needsHuman.push({
        field: 'trigger',
        message: 'no trigger found; say what set it off (a deploy, a config push, a traffic spike, a vendor change)',
      });
    }
  }

  // Taxonomy fields.
  const defaults = taxonomyDefaults('postmortem', taxonomy);
  const servicesField = fieldOf('services');
  let services: string[] = [];
  if (servicesField) {
    const wanted = splitList(servicesField.value);
    for (const name of wanted) {
      const [match] = matchServices(name, taxonomy);
      if (match && !services.includes(match.id)) services.push(match.id);
      else if (!match)
        needsHuman.push({
          field: 'services',
          line: servicesField.line,
          message: `"${name}" is not a service in content/taxonomy.yaml; add it there or pick the closest`,
        });
    }
    if (services.length > 0)
      inferred.push({ field: 'services', line: servicesField.line, message: `from the "${servicesField.key}" field` });
  }
  if (services.length === 0) {
    const mentioned = matchServices(source, taxonomy);
    services = mentioned.map((m) => m.id).slice(0, 6);
    if (services.length > 0) {
      inferred.push({
        field: 'services',
        message: `named in the text: ${mentioned
          .slice(0, 6)
          .map((m) => `"${m.phrase}"`)
          .join(', ')}`,
      });
      needsHuman.push({
        field: 'services',
        message: `matched by name in the text (${services.join(', ')}); remove any that were only mentioned`,
      });
    }
  }
  if (services.length === 0) {
    services = (defaults['services'] as string[] | undefined) ?? [];
    needsHuman.push({
      field: 'services',
      message: `no service from content/taxonomy.yaml is named; "${services.join(', ')}" is a placeholder`,
    });
  }

  const severityField = fieldOf('severity');
  const severity =
    (severityField
      ? (findSeverity(`severity: ${plainValue(severityField.value)}`, taxonomy) ??
        findSeverity(plainValue(severityField.value), taxonomy))
      : undefined) ?? findSeverity(source.slice(0, 4000), taxonomy);
  if (severity)
    inferred.push({
      field: 'severity',
      ...(severityField ? { line: severityField.line } : {}),
      message: `${severity.id} from "${severity.phrase}"`,
    });
  else
    needsHuman.push({
      field: 'severity',
      message: `no severity in the original; "${String(defaults['severity'])}" (the least severe) is a placeholder`,
    });

  const detectionSection = present('Detection');
  const detectedEntry = stamps.detected ? picked.detected?.entry.text : undefined;
  const detection = findDetection(
    [detectionSection?.text ?? '', detectedEntry ?? '', timeline.entries.map((e) => e.text).join('\n')],
    taxonomy,
  );
  if (detection) inferred.push({ field: 'detection', message: `${detection.id} from "${detection.phrase}"` });
  else
    needsHuman.push({
      field: 'detection',
      message: `how it was detected is not clear; "${String(defaults['detection'])}" is a placeholder`,
    });

  const authorsField = fieldOf('authors');
  let authors = authorsField ? splitList(authorsField.value) : [];
  if (authors.length > 0)
    inferred.push({
      field: 'authors',
      line: authorsField?.line ?? 1,
      message: `from the "${authorsField?.key ?? ''}" field`,
    });
  else {
    authors = ['TODO: who wrote the original'];
    needsHuman.push({ field: 'authors', message: 'no author named; add who wrote it' });
  }

  // Action items.
  const actionsSection = present('Action items');
  const found = actionsSection
    ? readActions(actionsSection.nodes, source, docDay.day ?? stamps.started?.stamp.day, now)
    : [];
  const due = formatDay(addDays(dayOf(now), options.dueInDays ?? 30));
  const noOwner: number[] = [];
  const noDue: number[] = [];
  const action_items: ActionItem[] = found.map((item, index) => {
    if (!item.owner) noOwner.push(index);
    if (!item.due) noDue.push(index);
    if (item.dueText)
      needsHuman.push({
        field: `action_items[${String(index)}].due`,
        line: item.line,
        message: `could not read the due date "${item.dueText}"`,
      });
    return {
      title: item.title,
      owner: item.owner ?? 'TODO',
      due: item.due ? formatDay(item.due) : due,
      status: item.status,
      kind: item.kind,
      ...(item.ticket ? { ticket: item.ticket } : {}),
    };
  });
  if (found.length > 0) {
    inferred.push({
      field: 'action_items',
      line: actionsSection?.line ?? 1,
      message: `${String(found.length)} from "${actionsSection?.heading?.text ?? 'Action items'}"`,
    });
    const guessed = found.map((f, i) => (f.kindFrom === 'written' ? -1 : i)).filter((i) => i >= 0);
    if (guessed.length > 0)
      needsHuman.push({
        field: 'action_items',
        message: `kind guessed from keywords for item(s) ${guessed.join(', ')}; check prevent/detect/mitigate/process`,
      });
  } else {
    needsHuman.push({
      field: 'action_items',
      message: actionsSection
        ? `no action items could be read from "${actionsSection.heading?.text ?? ''}"`
        : 'no action items section; publishing needs at least one',
    });
  }
  if (noOwner.length > 0)
    needsHuman.push({
      field: 'action_items',
      message: `no owner for item(s) ${noOwner.join(', ')}; "TODO" is a placeholder`,
    });
  if (noDue.length > 0)
    needsHuman.push({
      field: 'action_items',
      message: `no due date for item(s) ${noDue.join(', ')}; ${due} is a placeholder`,
    });

  // Images and other files the original points at are not copied.
  for (const node of walk(root.children)) {
    if (node.type === 'image' && !/^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(node.url)) {
      needsHuman.push({
        line: node.position?.start.line ?? 1,
        message: `image "${node.url}" was not copied; put it in public/ and fix the path`,
      });
    }
  }

  const year = Number((stamps.started?.at ?? started).slice(0, 4));
  const data: DraftData = {
    title,
    status: 'draft',
    summary,
    severity: severity?.id ?? String(defaults['severity']),
    category,
    trigger,
    services,
    started,
    ...(stamps.detected ? { detected: stamps.detected.at } : {}),
    ...(stamps.mitigated ? { mitigated: stamps.mitigated.at } : {}),
    ...(stamps.resolved ? { resolved: stamps.resolved.at } : {}),
    detection: detection?.id ?? String(defaults['detection']),
    impact: { summary: impactSummary, ...numbers, data_loss: loss?.lost ?? false },
    action_items,
    authors,
    tags: ['imported'],
  };
  const reshaped = `${applyEdits(source, edits)
    .replace(/^\s+/, '')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
  const body = dashBullets(reshaped);
  if (body !== reshaped) changes.push('bullet markers "*" and "+" written as "-" (one list style per file)');
  return { data, body, year, needsHuman, inferred, changes, ...(suggestion ? { category: suggestion } : {}) };
}

/** Write every bullet list marker as `-`, the templates' style; nothing else changes. */
function dashBullets(body: string): string {
  const edits: Edit[] = [];
  for (const node of walk(parseMarkdown(body).children)) {
    if (node.type !== 'list' || node.ordered === true) continue;
    for (const item of node.children) {
      const { start } = span(item);
      const marker = body.charAt(start);
      if (marker === '*' || marker === '+') edits.push({ start, end: start + 1, text: '-' });
    }
  }
  return applyEdits(body, edits);
}

function* walk(nodes: readonly RootContent[]): Generator<RootContent> {
  for (const node of nodes) {
    yield node;
    if ('children' in node) yield* walk(node.children);
  }
}

/** The source text of a section (heading content or field value), for keyword search with lines. */
function sourceOf(section: Section, source: string): string {
  if (section.field) return section.field.value;
  const first = section.nodes[0];
  const last = section.nodes[section.nodes.length - 1];
  if (!first || !last) return '';
  return source.slice(span(first).start, span(last).end);
}

/** Offset where the node after `index` starts (or the end), so a removed node takes its blank lines with it. */
function nextStart(children: readonly RootContent[], index: number, end: number): number {
  const next = children[index + 1];
  return next ? span(next).start : end;
}

function needsBlankBefore(source: string, at: number): string {
  if (at === 0) return '';
  const before = source.slice(Math.max(0, at - 2), at);
  return before.endsWith('\n\n') ? '' : before.endsWith('\n') ? '\n' : '\n\n';
}

function isSetext(node: Heading, source: string): boolean {
  return !source.slice(span(node).start, span(node).end).trimStart().startsWith('#');
}

/** The heading's inline Markdown as written (emphasis, code and links kept). */
function headingSource(node: Heading, source: string): string {
  const first = node.children[0];
  const last = node.children[node.children.length - 1];
  if (!first || !last) return plainText(node);
  return source.slice(span(first).start, span(last).end).trim();
}

/** The incident's day: the "Date" field, a date in the title, or the first full date in the text. */
function documentDay(field: Field | undefined, title: string, source: string, now: Date): { day?: Day; from?: string } {
  const today = formatDay(dayOf(now));
  // A date after today cannot be the incident's (a due date, a typo): it is not used.
  const past = (mark: { day: Day } | undefined) => (mark && formatDay(mark.day) <= today ? mark : undefined);
  if (field) {
    const mark = past(findDate(plainValue(field.value), now));
    if (mark) return { day: mark.day, from: `the "${field.key}" field (line ${String(field.line)})` };
  }
  const inTitle = past(findDate(title, now));
  if (inTitle) return { day: inTitle.day, from: 'the title' };
  const anywhere = past(findDate(source.slice(0, 20_000), now));
  if (anywhere) return { day: anywhere.day, from: 'the first date in the text' };
  return {};
}

type Stamps = Partial<
  Record<'started' | 'detected' | 'mitigated' | 'resolved', { at: string; stamp: Stamp; line: number; why: string }>
>;

/** The timestamps without any in the future or before the previous one (the validator rejects both). */
function keepOrdered(stamps: Stamps, now: Date, needsHuman: Note[]): Stamps {
  const kept: Stamps = {};
  let previous: { field: string; time: number } | undefined;
  for (const field of ['started', 'detected', 'mitigated', 'resolved'] as const) {
    const found = stamps[field];
    if (!found) continue;
    const time = Date.parse(found.at);
    if (time > now.getTime()) {
      needsHuman.push({
        field,
        line: found.line,
        message: `${found.at} (from ${found.why}) is in the future; left empty (check the year)`,
      });
    } else if (previous && time < previous.time) {
      needsHuman.push({
        field,
        line: found.line,
        message: `${found.at} (from ${found.why}) is before ${previous.field}; left empty`,
      });
    } else {
      kept[field] = found;
      previous = { field, time };
    }
  }
  return kept;
}

function zoneNotes(stamps: Stamps, entries: readonly TimelineEntry[], needsHuman: Note[]): void {
  const assumed = Object.entries(stamps).filter(([, s]) => s.stamp.zone === 'assumed-utc');
  if (assumed.length > 0) {
    needsHuman.push({
      field: assumed.map(([field]) => field).join(', '),
      line: assumed[0]?.[1].line ?? 1,
      message: `no time zone written for ${assumed.map(([field, s]) => `${field} (line ${String(s.line)})`).join(', ')}; UTC assumed`,
    });
  }
  const carried = Object.entries(stamps).filter(([, s]) => s.stamp.zone === 'carried');
  if (carried.length > 0) {
    const zone = carried[0]?.[1].stamp.zoneName ?? '';
    const from = entries.find((e) => e.stamp.zone === 'written' && e.stamp.zoneName === zone);
    needsHuman.push({
      field: carried.map(([field]) => field).join(', '),
      line: carried[0]?.[1].line ?? 1,
      message: `no time zone written for ${carried.map(([field, s]) => `${field} (line ${String(s.line)})`).join(', ')}; ${zone} carried over from an earlier entry${from ? ` (line ${String(from.line)})` : ''}`,
    });
  }
  for (const [field, s] of Object.entries(stamps)) {
    if (s.stamp.ambiguousDayMonth)
      needsHuman.push({
        field,
        line: s.line,
        message: `"${s.stamp.text}" could be day/month or month/day; read as month/day`,
      });
    if (entries.some((e) => e.stamp === s.stamp && e.rolledOver))
      needsHuman.push({
        field,
        line: s.line,
        message: `"${s.stamp.text}" has no date; taken as the day after the entry before it (the timeline crossed midnight)`,
      });
  }
}
