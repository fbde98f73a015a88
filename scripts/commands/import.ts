// Placeholder until the `import` command lands; exits 2 (usage) so nothing mistakes it for success.
import { defineCommand } from 'citty';
export default defineCommand({
  meta: { name: 'import', description: 'Not available yet.' },
  run() {
    console.error('hindsight import: not available yet');
    process.exitCode = 2;
  },
});
