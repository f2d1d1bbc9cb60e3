/**
 * System messages are stored as English text (transcripts, exports); the widget and console translate the
 * ones they know by matching these exact strings, so they are declared once here.
 */
export const systemText = {
  joined: (name: string) => `${name} joined the chat`,
  tookOver: (name: string) => `${name} took over the chat`,
  endedByVisitor: 'The visitor ended the chat',
  endedBy: (name: string) => `${name} ended the chat`,
  backInQueue: 'The operator is no longer available. You are back in the queue.',
  toTeam: (team: string) => `The chat was passed to the ${team} team`,
  toSite: 'The chat was passed back to all operators',
} as const;
