import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** The hard words the glossary explains (`glossary.terms.<id>` in every language). */
export const glossaryTerms = ['residenceTitle', 'terminal', 'qrCode', 'trackingNumber'] as const;
export type GlossaryTerm = (typeof glossaryTerms)[number];

/** Text as a visitor reads it: no break points (soft hyphens, zero-width spaces), lower case. */
const readable = (text: string) => text.replace(/[\u00ad\u200b]/g, '').toLocaleLowerCase();

/** The terms whose word (`match`, in the visitor's language) occurs in `text`. */
export function termsIn(text: string, matchOf: (term: GlossaryTerm) => string): GlossaryTerm[] {
  const shown = readable(text);
  return glossaryTerms.filter((term) => {
    const match = readable(matchOf(term));
    return match !== '' && shown.includes(match);
  });
}

/**
 * "Words explained": where the screen uses a hard word (Aufenthalts·titel, Terminal, QR-Code,
 * Vorgangs·nummer), a button opens their explanations, for the words of this screen only. Watches
 * the screen's main region, so it follows every step without the screens knowing of it.
 */
export function Glossary() {
  const { t } = useTranslation();
  const [present, setPresent] = useState<readonly GlossaryTerm[]>([]);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    const matchOf = (term: GlossaryTerm) => t(`glossary.terms.${term}.match`);
    const update = () => {
      const main = document.querySelector('main');
      const next = termsIn(main?.textContent ?? '', matchOf);
      setPresent((current) => (current.join() === next.join() ? current : next));
    };
    update();
    const observer = new MutationObserver(update);
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
    // `t` changes with the language, which decides the words to look for.
  }, [t]);

  if (present.length === 0) return null;
  return (
    <div className="glossary-line">
      <button type="button" className="secondary" onClick={() => setOpen(true)}>
        {t('glossary.open')}
      </button>
      {open && (
        <div className="overlay">
          <div role="dialog" aria-modal="true" aria-labelledby="glossary-title" className="dialog">
            <h2 id="glossary-title">{t('glossary.title')}</h2>
            <dl className="glossary">
              {present.map((term) => (
                <div key={term}>
                  <dt>{t(`glossary.terms.${term}.term`)}</dt>
                  <dd>{t(`glossary.terms.${term}.text`)}</dd>
                </div>
              ))}
            </dl>
            <button type="button" onClick={() => setOpen(false)}>
              {t('menu.close')}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
