// Placeholder until the `report` command lands; exits 2 (usage) so nothing mistakes it for success.
import { defineCommand } from 'citty';
export default defineCommand({
  meta: { name: 'report', description: 'Not available yet.' },
  run() {
    console.error('hindsight report: not available yet');
    process.exitCode = 2;
  },
});
