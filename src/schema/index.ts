/** Public surface of the schema layer: the one source of truth for every document shape. */
export * from './taxonomy.ts';
export * from './documents.ts';
export { parseTaxonomyText } from './load-taxonomy.ts';
export * from './sections.ts';
