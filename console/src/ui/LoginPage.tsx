import type { OMe, OperatorProfile } from '@beseda/shared/types';
import { useState } from 'preact/hooks';
import { ApiError, api } from '../api.js';
import { t } from '../i18n/index.js';
import { LanguagePicker } from './Header.js';

interface Props {
  onLoggedIn: (me: OMe, profile: OperatorProfile | undefined) => void;
  /** Why the operator is here again, e.g. an expired session. */
  initialError: string | null;
}

export function LoginPage({ onLoggedIn, initialError }: Props) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(initialError);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { me, profile } = await api.login(email.trim(), password);
      onLoggedIn(me, profile);
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 401
          ? t('login.wrong')
          : err instanceof Error
            ? err.message
            : t('login.failed'),
      );
      setBusy(false);
    }
  }

  return (
    <main class="login">
      <form class="login-card" onSubmit={submit} data-testid="login-form">
        <h1>Beseda</h1>
        <p class="muted">{t('login.lead')}</p>
        <label>
          {t('login.email')}
          <input
            type="email"
            name="email"
            autocomplete="username"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
            data-testid="login-email"
          />
        </label>
        <label>
          {t('login.password')}
          <input
            type="password"
            name="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
            data-testid="login-password"
          />
        </label>
        {error && (
          <p class="form-error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" class="btn primary" disabled={busy} data-testid="login-submit">
          {t(busy ? 'login.busy' : 'login.submit')}
        </button>
        <div class="login-lang">
          <LanguagePicker />
        </div>
      </form>
    </main>
  );
}
