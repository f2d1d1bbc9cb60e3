import type { OMe } from '@beseda/shared';
import type { Operator } from '../store/types.js';

/** The operator as the console's `me` (REST and the welcome frame's shape). */
export const meOf = (op: Operator, liveStatus?: OMe['status']): OMe => ({
  id: op.id,
  name: op.name,
  email: op.email,
  role: op.role,
  status: liveStatus ?? op.status,
  capacity: op.capacity,
});
