import type { OperatorStatus, Role } from '@beseda/shared';
import type { Conversation } from '../store/types.js';

/** In-memory view of one operator, kept by the relay; the store holds only their chosen status. */
export interface LiveOperator {
  id: string;
  name: string;
  email: string;
  role: Role;
  siteIds: string[];
  /** What the operator chose in the console. */
  chosenStatus: OperatorStatus;
  /** What routing uses: the chosen status while a console is connected, else offline. */
  status: OperatorStatus;
  capacity: number;
  active: Set<string>;
  idleSince: number;
  connections: number;
  graceTimer: NodeJS.Timeout | null;
  deactivated: boolean;
}

/** An open (queued or active) conversation plus what the relay derives from its messages. */
export interface LiveConversation extends Conversation {
  /** Oldest visitor message not yet answered by an operator. */
  waitingSince: number | null;
  firstVisitorMessageAt: number | null;
  firstReplyAt: number | null;
  preview: string;
  visitorVerified: boolean;
  /** Pending ring timeout: the assigned operator has not answered yet. */
  ringTimer: NodeJS.Timeout | null;
}
