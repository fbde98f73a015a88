/**
 * Where the knowledge base lives. The site and the CLI build any folder that holds `content/`:
 * the bundled starter knowledge base by default, or the one named by `HINDSIGHT_ROOT`
 * (the benchmark and the end-to-end tests point it at generated folders).
 */
import { resolve } from 'node:path';

export function knowledgeBaseRoot(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  return resolve(cwd, env['HINDSIGHT_ROOT'] ?? '.');
}
