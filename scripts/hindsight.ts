#!/usr/bin/env node
/**
 * The `hindsight` command line. Each command lives in its own module under `scripts/commands/`
 * and is loaded only when used, so `hindsight validate` does not pay for `hindsight import`.
 */
import { defineCommand, runMain } from 'citty';

const main = defineCommand({
  meta: {
    name: 'hindsight',
    description: 'Validate, scaffold and report on an incident-retrospective knowledge base.',
  },
  subCommands: {
    validate: () => import('./commands/validate.ts').then((m) => m.default),
    new: () => import('./commands/new.ts').then((m) => m.default),
    build: () => import('./commands/build.ts').then((m) => m.default),
    report: () => import('./commands/report.ts').then((m) => m.default),
    schema: () => import('./commands/schema.ts').then((m) => m.default),
    import: () => import('./commands/import.ts').then((m) => m.default),
  },
});

await runMain(main);
