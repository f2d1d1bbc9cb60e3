import type { Message, OperatorServerFrame, VisitorServerFrame } from '@beseda/shared';
import type { Hub } from '../hub/types.js';
import { topics } from '../hub/types.js';
import { channels } from '../ops/channels.js';

/**
 * Every frame leaves through here: persist first (the caller did), then publish on the hub, which fans
 * out to this node's sockets and, with Redis, to every other node's. A message goes to the operators'
 * topic with `prev = seq - 1` (they see everything) and, unless it is an internal note, to the visitor's
 * topic with `prev` = the previous message the visitor may see, so either audience can tell a gap.
 */
export class Delivery {
  constructor(private readonly hub: Hub) {}

  message(conv: { id: string; visitorId: string }, message: Message, prevPublic: number): void {
    this.toConversation(conv.id, { type: 'message', message, prev: message.seq - 1 });
    if (message.author !== 'note')
      this.toVisitor(conv.visitorId, { type: 'message', message, prev: prevPublic });
  }

  toVisitor(visitorId: string, frame: VisitorServerFrame): void {
    this.publish(topics.visitor(visitorId), frame);
  }

  /** The consoles that show this conversation (its operator, and after a transfer the previous one). */
  toConversation(conversationId: string, frame: OperatorServerFrame): void {
    this.publish(topics.conversation(conversationId), frame);
  }

  toOperator(operatorId: string, frame: OperatorServerFrame): void {
    this.publish(topics.operator(operatorId), frame);
  }

  toSiteVisitors(siteId: string, frame: VisitorServerFrame): void {
    this.publish(topics.siteVisitors(siteId), frame);
  }

  toSiteOperators(siteId: string, frame: OperatorServerFrame): void {
    this.publish(topics.siteOperators(siteId), frame);
  }

  /** Node-to-node messages (queue views, presence deltas, directory changes, revocations). */
  internal(topic: string, payload: unknown): void {
    this.publish(topic, payload);
  }

  private publish(topic: string, payload: unknown): void {
    if (channels.hubPublish.hasSubscribers) channels.hubPublish.publish({ kind: topic.split(':', 1)[0]! });
    void this.hub.publish(topic, payload).catch(() => {
      // Pub/sub is at-most-once by design: clients detect the gap from `prev` and fetch from the store.
    });
  }
}
