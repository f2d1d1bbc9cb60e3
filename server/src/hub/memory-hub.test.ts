import { hubContract } from './contract.js';
import { MemoryHub } from './memory-hub.js';

hubContract('MemoryHub', async () => [new MemoryHub()]);
