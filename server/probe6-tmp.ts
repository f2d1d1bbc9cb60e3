import { openSqliteStore } from './src/store/sqlite/sqlite-store.js';
const store = await openSqliteStore({ file: '/tmp/bench-s100k.db' });
const site = (await store.listSites()).find((s) => s.key.startsWith('bench-search-'))!;
const c0 = process.cpuUsage();
for (let k = 0; k < 60; k++) await store.searchTranscripts({ siteIds: [site.id], q: k % 2 ? 'vodomer' : 'doprava', limit: 50 });
const c = process.cpuUsage(c0); console.log('cpu per search', ((c.user + c.system) / 1000 / 60).toFixed(1));
