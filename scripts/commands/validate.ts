import { defineCommand } from 'citty';
export default defineCommand({ meta: { name: 'validate' }, run() { console.log('validate: todo'); } });
