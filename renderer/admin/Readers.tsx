import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskApi } from '../../api/client.ts';
import type { ReaderStatus } from '../../api/contract.ts';
import type { AdminRead } from '../../api/staff.ts';
import { ProblemAlert } from '../staff/ProblemAlert.tsx';
import { useCall } from '../staff/use-call.ts';
import { formatTime } from './format.ts';

/** Reads kept on screen, newest first. */
const maxReads = 20;

/**
 * The readers the terminal knows and, while this screen is open, every read as a summary (kind,
 * format and check verdicts, or symbology and length): never what a document or code says. The
 * host sends the summaries only between `admin.watchReads {on:true}` and `{on:false}`.
 */
export function Readers({ api, language }: { api: KioskApi; language: string }) {
  const { t } = useTranslation('staff');
  const [readers, setReaders] = useState<ReaderStatus[] | null>(null);
  const [reads, setReads] = useState<(AdminRead & { n: number })[]>([]);
  const { problem, read } = useCall();

  const refresh = useCallback(async () => {
    const status = await read(() => api['system.status']({}));
    if (status) setReaders(status.readers);
  }, [api, read]);

  useEffect(() => {
    void refresh();
    let count = 0;
    const off = api.on('admin.read', (read) => {
      count += 1;
      const n = count;
      setReads((current) => [{ ...read, n }, ...current].slice(0, maxReads));
    });
    void read(() => api['admin.watchReads']({ on: true }));
    return () => {
      off();
      void api['admin.watchReads']({ on: false });
    };
  }, [api, refresh, read]);

  return (
    <section className="admin-section" aria-labelledby="readers-title">
      <h2 id="readers-title">{t('admin.sections.readers')}</h2>
      <ProblemAlert problem={problem} />
      {readers && readers.length === 0 && <p>{t('admin.readers.none')}</p>}
      {readers && readers.length > 0 && (
        <ul className="admin-list">
          {readers.map((reader) => (
            <li key={reader.id}>
              <strong dir="auto">{reader.name}</strong> — {t(`admin.readers.kinds.${reader.kind}`)},{' '}
              {reader.connected ? t('admin.readers.connected') : t('admin.readers.disconnected')}
              {reader.simulated ? `, ${t('admin.readers.simulated')}` : ''}
            </li>
          ))}
        </ul>
      )}
      <button type="button" className="secondary" onClick={refresh}>
        {t('common.refresh')}
      </button>
      <h3 id="reads-title">{t('admin.readers.liveTitle')}</h3>
      <p>{t('admin.readers.liveHint')}</p>
      {reads.length === 0 ? (
        <p role="status">{t('admin.readers.noReads')}</p>
      ) : (
        <ol className="admin-list admin-reads" aria-labelledby="reads-title" aria-live="polite">
          {reads.map((read) => (
            <li key={read.n} className={read.valid ? 'ok' : 'failed'}>
              <span aria-hidden="true">{read.valid ? '✓' : '✗'}</span> {formatTime(language, read.at)} ·{' '}
              {t(`admin.readers.readKinds.${read.kind}`)} ·{' '}
              <span dir="ltr" lang="en">
                {read.summary}
              </span>{' '}
              · {read.valid ? t('admin.readers.valid') : t('admin.readers.invalid')} ·{' '}
              <span dir="ltr">{read.readerId}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
