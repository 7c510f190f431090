import type { TFunction } from 'i18next';

/** "3 h 12 min", "4 min 5 s", "12 s": how long, for uptime and the age of the oldest item. */
export function formatDuration(t: TFunction<'staff'>, totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  const rest = seconds % 60;
  const parts: string[] = [];
  if (days > 0) parts.push(t('units.days', { count: days }));
  if (hours > 0) parts.push(t('units.hours', { count: hours }));
  if (minutes > 0 && days === 0) parts.push(t('units.minutes', { count: minutes }));
  if (parts.length === 0 || (hours === 0 && days === 0 && rest > 0 && minutes < 10))
    parts.push(t('units.seconds', { count: rest }));
  return parts.join(' ');
}

/** A time of day for the reader list and alarms, in the screen's language. */
export function formatTime(language: string, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(language, { dateStyle: 'short', timeStyle: 'medium' }).format(date);
}
