/** The colour theme (dark by default, light on request), kept on <html data-theme> and in localStorage. */
import { useEffect, useState } from 'preact/hooks';

export type ThemeName = 'dark' | 'light';

function current(): ThemeName {
  return document.documentElement.dataset.theme === 'light' ? 'light' : 'dark';
}

export function initTheme(): void {
  const saved = localStorage.getItem('riskgate.theme');
  const prefersLight = matchMedia?.('(prefers-color-scheme: light)').matches;
  document.documentElement.dataset.theme = saved === 'light' || (!saved && prefersLight) ? 'light' : 'dark';
}

export function setTheme(t: ThemeName): void {
  document.documentElement.dataset.theme = t;
  localStorage.setItem('riskgate.theme', t);
}

/** The theme, re-rendering when it changes. */
export function useTheme(): ThemeName {
  const [theme, set] = useState(current);
  useEffect(() => {
    const obs = new MutationObserver(() => set(current()));
    obs.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => obs.disconnect();
  }, []);
  return theme;
}
