import { CONSOLE_LANGS, type ConsoleLang, type OperatorProfile, ProfilePatch } from '@beseda/shared';
import type { FastifyInstance } from 'fastify';
import type { Operator, OperatorPatch } from '../store/types.js';
import { refuse } from '../transport/refuse.js';
import { meOf } from './me.js';
import { requireOperator } from './require-operator.js';

/** Capacity given back to someone who said they answer chats after having been at 0 (the usual default). */
export const DEFAULT_ANSWERING_CAPACITY = 3;

export const profileOf = (op: Operator): OperatorProfile => ({
  locale: isConsoleLang(op.locale) ? op.locale : null,
  answersChats: op.answersChats,
});

function isConsoleLang(value: unknown): value is ConsoleLang {
  return typeof value === 'string' && (CONSOLE_LANGS as readonly string[]).includes(value);
}

/**
 * The operator's own settings, on the server so they follow the operator to every device (issue #12.4,
 * #12.10): the console language, and whether they answer chats at all. Someone who does not is kept at
 * capacity 0, which routing never offers a chat; saying yes again gives back a capacity of at least 1.
 */
export async function profileRoutes(app: FastifyInstance) {
  app.patch<{ Body: ProfilePatch }>(
    '/api/me/profile',
    {
      preHandler: requireOperator(app),
      schema: { body: ProfilePatch },
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const op = req.operator!;
      const { locale, answersChats, capacity } = req.body;
      if (locale !== undefined && locale !== null && !isConsoleLang(locale))
        return refuse(
          reply,
          'validation',
          `Unknown console language "${locale.slice(0, 35)}": choose one of ${CONSOLE_LANGS.join(', ')}, or null to follow the browser`,
        );
      if (capacity !== undefined && answersChats !== true)
        return refuse(reply, 'validation', 'A capacity is given only together with answersChats: true');
      const patch: OperatorPatch = {};
      if (locale !== undefined) patch.locale = locale;
      if (answersChats === false) Object.assign(patch, { answersChats, capacity: 0 });
      if (answersChats === true)
        Object.assign(patch, {
          answersChats,
          capacity: capacity ?? (op.capacity > 0 ? op.capacity : DEFAULT_ANSWERING_CAPACITY),
        });
      const updated = await app.store.updateOperator(op.id, patch);
      if (updated.capacity !== op.capacity) {
        // Routing hears of it at once: a "no" stops new chats now, chats already held stay.
        await app.relay.refreshOperator(op.id);
        await app.relay.setCapacity(op.id, updated.capacity);
      }
      return { me: meOf(updated, app.relay.presenceOf(op.id)?.status), profile: profileOf(updated) };
    },
  );
}
