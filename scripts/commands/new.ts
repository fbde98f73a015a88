// Placeholder until the `new` command lands; exits 2 (usage) so nothing mistakes it for success.
import { defineCommand } from 'citty';
export default defineCommand({
  meta: { name: 'new', description: 'Not available yet.' },
  run() {
    console.error('hindsight new: not available yet');
    process.exitCode = 2;
  },
});
