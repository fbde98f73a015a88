/**
 * `hindsight import`: existing Markdown postmortems (no frontmatter) into Hindsight drafts.
 * `analyzePostmortem` reads one original; `renderDraft` writes it with an id. Both pure.
 */
export {
  analyzePostmortem,
  importProblem,
  cleanTitle,
  type Analysis,
  type AnalyzeOptions,
  type DraftData,
  type Note,
} from './analyze.ts';
export { renderDraft, fixLinks, type RenderOptions, type Rendered } from './render.ts';
