// Placeholder until the `schema` command lands; exits 2 (usage) so nothing mistakes it for success.
import { defineCommand } from 'citty';
export default defineCommand({
  meta: { name: 'schema', description: 'Not available yet.' },
  run() {
    console.error('hindsight schema: not available yet');
    process.exitCode = 2;
  },
});
