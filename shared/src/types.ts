/** Types-only entry: the widget imports from here and ships zero bytes of the protocol package. */

export type * from './admin.js';
export type * from './console.js';
export type * from './dashboard.js';
export type { ErrorCode } from './errors.js';
export type {
  ConversationStatus,
  ConversationView,
  Eta,
  Message,
  MessageAuthor,
  OperatorPresence,
  OperatorRef,
  OperatorStatus,
  Page,
  QueueEntry,
  Rating,
  Role,
} from './model.js';
export type { OMe, OperatorClientFrame, OperatorServerFrame } from './operator.js';
export type * from './rest.js';
export type { ErrorFrame, VisitorClientFrame, VisitorServerFrame } from './visitor.js';
