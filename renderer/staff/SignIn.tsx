import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskApi } from '../../api/client.ts';
import type { StaffSession } from '../../api/staff.ts';
import { ProblemAlert } from './ProblemAlert.tsx';
import { StaffField } from './StaffField.tsx';
import { useCall } from './use-call.ts';

/**
 * Sign-in with a badge and a PIN (counter staff) or a password (administrators). The badge is
 * scanned with the barcode reader (it stays in the host; `staff.badgeRead` only says it came) or
 * typed. Every attempt uses the scanned badge up, so after a failure the reader waits for the
 * next scan. The PIN or password is kept here only until the attempt and shown as dots.
 */
export function SignIn({
  api,
  kind: role,
  language,
  onSignedIn,
  onCancel,
}: {
  api: KioskApi;
  /** Counter staff (badge and PIN) or an administrator (badge and password). */
  kind: 'staff' | 'admin';
  /** The keyboards' language (German or English). */
  language: string;
  onSignedIn: (session: StaffSession) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation('staff');
  /** The host waits for a badge scan (the prompt shows only then, so a scan is never lost). */
  const [armed, setArmed] = useState(false);
  const [scanned, setScanned] = useState(false);
  const [typing, setTyping] = useState(false);
  const [badge, setBadge] = useState('');
  const [secret, setSecret] = useState('');
  const [active, setActive] = useState<'badge' | 'secret' | null>('secret');
  const { busy, problem, run, show } = useCall();
  const [attempt, setAttempt] = useState(0);

  // Each attempt (and the first showing) arms the reader for the next badge.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` re-arms the reader after a try
  useEffect(() => {
    let live = true;
    setScanned(false);
    setArmed(false);
    void api['staff.awaitBadge']({}).then((answer) => {
      if (live) setArmed(answer.ok && answer.value.waiting);
    });
    return () => {
      live = false;
    };
  }, [api, attempt]);

  useEffect(
    () =>
      api.on('staff.badgeRead', () => {
        setScanned(true);
        setTyping(false);
        setBadge('');
        show(null);
        setActive('secret');
      }),
    [api, show],
  );

  const secretLabel = role === 'staff' ? t('signIn.pin') : t('signIn.password');
  const submit = async () => {
    const typed = badge.trim();
    if (!scanned && typed === '') return show({ code: 'signIn.no_badge', message: '' });
    if (secret === '') return show({ code: 'signIn.no_secret', message: '' });
    // The host forgets a scanned badge with every attempt: the prompt shows again once it waits anew.
    setArmed(false);
    setActive(null);
    const badgeInput = scanned ? null : typed;
    const result = await run(() =>
      role === 'staff'
        ? api['staff.signIn']({ badge: badgeInput, pin: secret })
        : api['admin.signIn']({ badge: badgeInput, password: secret }),
    );
    setSecret('');
    if (result.ok) return onSignedIn(result.value);
    setBadge('');
    setTyping(false);
    setActive('secret');
    setAttempt((n) => n + 1);
  };

  const titleId = `${role}-signin-title`;
  return (
    <section className="staff-signin" aria-labelledby={titleId}>
      <h2 id={titleId}>{role === 'staff' ? t('signIn.staffTitle') : t('signIn.adminTitle')}</h2>
      <p className={`staff-badge-state${scanned ? ' is-read' : ''}`} role="status" aria-live="polite">
        {scanned ? t('signIn.badgeRead') : armed ? t('signIn.scanBadge') : t('signIn.arming')}
      </p>
      {!scanned && !typing && (
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setTyping(true);
            setActive('badge');
          }}
        >
          {t('signIn.typeBadge')}
        </button>
      )}
      {!scanned && typing && (
        <StaffField
          id={`${role}-badge`}
          label={t('signIn.badge')}
          value={badge}
          onChange={setBadge}
          fieldType="text"
          language={language}
          active={active === 'badge'}
          onOpen={() => setActive('badge')}
          onDone={() => setActive('secret')}
          maxLength={128}
          masked
        />
      )}
      <StaffField
        id={`${role}-secret`}
        label={secretLabel}
        value={secret}
        onChange={setSecret}
        fieldType={role === 'staff' ? 'number' : 'text'}
        language={language}
        masked
        active={active === 'secret'}
        onOpen={() => setActive('secret')}
        onDone={() => setActive(null)}
        maxLength={128}
      />
      <ProblemAlert problem={problem} />
      {busy && (
        <p role="status" className="staff-busy">
          {t('signIn.checking')}
        </p>
      )}
      <div className="staff-actions-row">
        <button type="button" className="secondary" onClick={onCancel} disabled={busy}>
          {t('common.cancel')}
        </button>
        <button type="button" onClick={submit} disabled={busy}>
          {t('signIn.submit')}
        </button>
      </div>
    </section>
  );
}
