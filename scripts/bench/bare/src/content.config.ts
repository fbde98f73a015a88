/** The real site's collections, unchanged: the floor loads and validates exactly the same content. */
export { collections } from '../../../../src/content.config.ts';
