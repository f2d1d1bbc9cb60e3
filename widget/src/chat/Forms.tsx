import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { fill, type Strings } from './i18n.js';
import { EMAIL, type OfflineRecord } from './offline.js';
import type { TeamState } from './teams.js';

/**
 * The leave-a-message form (nobody online, or outside business hours), its confirmation, and the pre-chat
 * form. Validation is ours, not the browser's bubbles, so every message is in the widget's language.
 */

interface FieldProps {
  id: string;
  label: string;
  value: string;
  error: string | null;
  onInput: (value: string) => void;
  type?: 'text' | 'email';
  autoComplete?: string;
  multiline?: boolean;
  /** A select with these `[value, label]` options (the first, empty, is the prompt). */
  options?: readonly (readonly [string, string])[];
  prompt?: string;
  required?: boolean;
}

function Field({
  id,
  label,
  value,
  error,
  onInput,
  type,
  autoComplete,
  multiline,
  options,
  prompt,
  required,
}: FieldProps) {
  const common = {
    id,
    class: 'fi',
    value,
    'aria-required': required ? ('true' as const) : undefined,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': error ? `${id}-e` : undefined,
    onInput: (e: Event) => onInput((e.currentTarget as HTMLInputElement).value),
  };
  return (
    <div class="fd">
      <label class="fl" for={id}>
        {label}
      </label>
      {options ? (
        <select {...common}>
          <option value="">{prompt}</option>
          {options.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      ) : multiline ? (
        <textarea {...common} rows={4} maxLength={4000} />
      ) : (
        <input {...common} type={type ?? 'text'} autoComplete={autoComplete} maxLength={type ? 254 : 200} />
      )}
      {error && (
        <span class="fe" id={`${id}-e`}>
          {error}
        </span>
      )}
    </div>
  );
}

/** "Department": the site's teams, one nobody of which is online marked so; '' = any team (the whole site). */
export const TeamField = ({ t, s, onPick }: { t: Strings; s: TeamState; onPick: (id: string) => void }) => (
  <Field
    id="bs-team"
    label={t.team}
    value={s.team?.id ?? ''}
    error={null}
    onInput={onPick}
    options={s.teams.map((x) => [x.id, x.online ? x.name : fill(t.teamOffline, { name: x.name })] as const)}
    prompt={t.anyTeam}
  />
);

/** The team field when the visitor picks one; it gets what was typed, kept if the form gives way to the other. */
export type TeamSlot = ((typed: Draft) => ComponentChildren) | null;

type Errors = Record<string, string | null>;

/** Validates on submit; focuses the first invalid field; returns whether all is well. */
function useForm(root: { current: HTMLFormElement | null }) {
  const [errors, setErrors] = useState<Errors>({});
  const check = (next: Errors): boolean => {
    setErrors(next);
    const bad = Object.keys(next).find((k) => next[k]);
    if (bad) setTimeout(() => root.current?.querySelector<HTMLElement>(`#bs-${bad}`)?.focus());
    return !bad;
  };
  return { errors, check };
}

export interface Draft {
  name: string;
  email: string;
  text: string;
}

interface OfflineFormProps {
  t: Strings;
  closed: boolean;
  /** Picking a team someone of which is online leaves this form. */
  team: TeamSlot;
  initial: Draft;
  failed: boolean;
  onSubmit: (form: Draft) => boolean;
}

export function OfflineForm({ t, closed, team, initial, failed, onSubmit }: OfflineFormProps) {
  const ref = useRef<HTMLFormElement>(null);
  const [f, setF] = useState(initial);
  const { errors, check } = useForm(ref);
  const set = (k: keyof Draft) => (v: string) => setF({ ...f, [k]: v });
  return (
    <form
      ref={ref}
      class="fm"
      noValidate
      aria-labelledby="bs-oh"
      onSubmit={(e) => {
        e.preventDefault();
        const ok = check({
          name: f.name.trim() ? null : t.required,
          email: !f.email.trim() ? t.required : EMAIL.test(f.email.trim()) ? null : t.badEmail,
          text: f.text.trim() ? null : t.required,
        });
        if (ok) onSubmit(f);
      }}
    >
      <p class="ft" id="bs-oh">
        <strong>{closed ? t.offlineHours : t.offlineNobody}</strong> {t.offlineAsk}
      </p>
      {failed && (
        <p class="fe" role="alert">
          {t.failed}
        </p>
      )}
      {team?.(f)}
      <Field
        id="bs-name"
        label={t.name}
        value={f.name}
        error={errors.name ?? null}
        onInput={set('name')}
        autoComplete="name"
        required
      />
      <Field
        id="bs-email"
        label={t.email}
        value={f.email}
        error={errors.email ?? null}
        onInput={set('email')}
        type="email"
        autoComplete="email"
        required
      />
      <Field
        id="bs-text"
        label={t.message}
        value={f.text}
        error={errors.text ?? null}
        onInput={set('text')}
        multiline
        required
      />
      <button type="submit" class="pb">
        {t.send}
      </button>
    </form>
  );
}

/** After the form: "Sending…" until the ack, then a clear confirmation naming the reply address. */
export function OfflineDone({
  rec,
  t,
  onAnother,
}: {
  rec: OfflineRecord;
  t: Strings;
  onAnother: () => void;
}) {
  const stored = !!rec.conversationId;
  return (
    <div class="fm ok">
      {stored && (
        <svg class="ck" viewBox="0 0 24 24" aria-hidden="true">
          <path d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm-2 15-5-5 1.4-1.4 3.6 3.6 7.6-7.6L19 8l-9 9z" />
        </svg>
      )}
      <p class="ft" role="status">
        {stored ? fill(t.offlineSent, { email: rec.email }) : t.sending}
      </p>
      <blockquote class="b qt">{rec.text}</blockquote>
      {stored && (
        <button type="button" class="pb" onClick={onAnother}>
          {t.anotherMessage}
        </button>
      )}
    </div>
  );
}

interface PrechatProps {
  t: Strings;
  requireEmail: boolean;
  topics: readonly string[];
  /** A signed identity from the host page: name and email are known and not asked. */
  known: boolean;
  /** Picking a team nobody of which is online turns this into the leave-a-message form. */
  team: TeamSlot;
  initial: Draft;
  onStart: (form: Draft & { topic: string }) => void;
}

export function PrechatForm({ t, requireEmail, topics, known, team, initial, onStart }: PrechatProps) {
  const ref = useRef<HTMLFormElement>(null);
  const [f, setF] = useState({ ...initial, topic: '' });
  const { errors, check } = useForm(ref);
  const set = (k: keyof typeof f) => (v: string) => setF({ ...f, [k]: v });
  const email = f.email.trim();
  return (
    <form
      ref={ref}
      class="fm"
      noValidate
      aria-labelledby="bs-ph"
      onSubmit={(e) => {
        e.preventDefault();
        const ok = check({
          email: known
            ? null
            : !email
              ? requireEmail
                ? t.required
                : null
              : EMAIL.test(email)
                ? null
                : t.badEmail,
          text: f.text.trim() ? null : t.required,
        });
        if (ok) onStart(f);
      }}
    >
      <p class="ft" id="bs-ph">
        {t.prechat}
      </p>
      {team?.(f)}
      {!known && (
        <>
          <Field
            id="bs-name"
            label={`${t.name} ${t.optional}`}
            value={f.name}
            error={null}
            onInput={set('name')}
            autoComplete="name"
          />
          <Field
            id="bs-email"
            label={requireEmail ? t.email : `${t.email} ${t.optional}`}
            value={f.email}
            error={errors.email ?? null}
            onInput={set('email')}
            type="email"
            autoComplete="email"
            required={requireEmail}
          />
        </>
      )}
      {topics.length > 0 && (
        <Field
          id="bs-topic"
          label={t.topic}
          value={f.topic}
          error={null}
          onInput={set('topic')}
          options={topics.map((o) => [o, o] as const)}
          prompt={t.chooseTopic}
        />
      )}
      <Field
        id="bs-text"
        label={t.message}
        value={f.text}
        error={errors.text ?? null}
        onInput={set('text')}
        multiline
        required
      />
      <button type="submit" class="pb">
        {t.startChat}
      </button>
    </form>
  );
}
