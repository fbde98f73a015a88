/**
 * Action items and review ages: what counts as open, overdue and stale. Used by the
 * validator's warnings, `hindsight report` and the site's action-items page alike.
 */
import type { ActionItem } from '../schema/index.ts';
import type { KnowledgeBase, PlaybookDoc, PostmortemDoc } from './model.ts';

const DAY_MS = 86_400_000;

/** Today's date as `YYYY-MM-DD` in UTC. */
export function isoDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export function isOpen(item: Pick<ActionItem, 'status'>): boolean {
  return item.status === 'open' || item.status === 'in-progress';
}

/** Open and due before today (an item due today is not overdue yet). */
export function isOverdue(item: Pick<ActionItem, 'status' | 'due'>, now: Date): boolean {
  return isOpen(item) && item.due < isoDay(now);
}

/** Whole days between a `YYYY-MM-DD` date and `now` (positive when the date is in the past). */
export function daysSince(day: string, now: Date): number {
  return Math.floor((Date.parse(`${isoDay(now)}T00:00:00Z`) - Date.parse(`${day}T00:00:00Z`)) / DAY_MS);
}

export function isStale(playbook: PlaybookDoc, now: Date, staleAfterDays: number): boolean {
  return daysSince(playbook.data.last_reviewed, now) > staleAfterDays;
}

export interface OpenActionItem {
  item: ActionItem;
  /** Index in the postmortem's `action_items`, for locating it in the file. */
  index: number;
  postmortem: PostmortemDoc;
  overdue: boolean;
  /** Days past due; 0 when not overdue. */
  daysOverdue: number;
}

/** Every open action item, overdue first (most overdue first), then by due date. */
export function openActionItems(kb: Pick<KnowledgeBase, 'postmortems'>, now: Date): OpenActionItem[] {
  const open: OpenActionItem[] = [];
  for (const postmortem of kb.postmortems) {
    postmortem.data.action_items.forEach((item, index) => {
      if (!isOpen(item)) return;
      const overdue = isOverdue(item, now);
      open.push({ item, index, postmortem, overdue, daysOverdue: overdue ? daysSince(item.due, now) : 0 });
    });
  }
  return open.sort((a, b) => b.daysOverdue - a.daysOverdue || a.item.due.localeCompare(b.item.due));
}
