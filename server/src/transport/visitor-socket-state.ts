import type { VisitorServerFrame } from '@beseda/shared';

/**
 * What one visitor socket has been sent: its current conversation and the highest seq forwarded, so the
 * node can catch it up from the store after the hub lost its subscription, and the last queue frame, so
 * a queue change sends a frame only when this visitor's position or estimate moved.
 */
export class VisitorSocketState {
  conversationId: string | null = null;
  status: string | null = null;
  lastSeq = 0;
  private lastQueue = '';

  observe(frame: VisitorServerFrame): void {
    switch (frame.type) {
      case 'welcome':
        this.track(frame.conversation?.id ?? null, frame.conversation?.status ?? null);
        return;
      case 'conversation':
        this.track(frame.conversation.id, frame.conversation.status);
        return;
      case 'ack':
        if (this.conversationId !== frame.conversationId) this.track(frame.conversationId, this.status);
        return;
      case 'message':
        if (frame.message.conversationId === this.conversationId)
          this.lastSeq = Math.max(this.lastSeq, frame.message.seq);
        return;
      case 'history':
        if (frame.conversationId === this.conversationId)
          for (const m of frame.messages) this.lastSeq = Math.max(this.lastSeq, m.seq);
        return;
    }
  }

  /** True (and remembered) when this queue frame differs from the last one sent. */
  queueChanged(frame: VisitorServerFrame & { type: 'queue' }): boolean {
    const key = `${frame.conversationId}:${frame.position}:${frame.eta?.minSeconds}:${frame.eta?.maxSeconds}`;
    if (key === this.lastQueue) return false;
    this.lastQueue = key;
    return true;
  }

  private track(conversationId: string | null, status: string | null): void {
    if (conversationId !== this.conversationId) {
      this.conversationId = conversationId;
      this.lastSeq = 0;
      this.lastQueue = '';
    }
    this.status = status;
  }
}
