import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { createI18n } from './i18n.ts';
import './styles.css';
import { connectKiosk } from './transport/index.ts';

// Nothing to select, drag or open a menu on: a long press must not leave the app's surface.
for (const type of ['contextmenu', 'dragstart', 'selectstart']) {
  window.addEventListener(type, (event) => event.preventDefault(), { capture: true });
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App api={connectKiosk()} i18n={createI18n(document.documentElement.lang || 'de')} />
    </StrictMode>,
  );
}
