import { openSqliteStore } from './src/store/sqlite/sqlite-store.js';
import * as tr from './src/store/transcripts.js';
const store = await openSqliteStore({ file: '/tmp/bench-s100k.db' });
const site = (await store.listSites()).find((s) => s.key.startsWith('bench-search-'))!;
for (const q of ['doprava', '"doprava zdarma"', '"dobrý den"', '"наложенный платёж"', 'zasilka dorazi', 'заказ ёлка', 'refund card', 'vodomer']) {
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    const r = await store.searchTranscripts({ siteIds: [site.id], q, limit: 50 });
    if (k === 2) console.log(q, (performance.now() - t0).toFixed(1), r.items.length);
  }
}
