/** A clear "demo city" ribbon when the server runs its generated demo (GET /api/v1/demo), so nobody takes it for real data. */
import { get } from '../api/client.ts';
import { t } from '../i18n/i18n.ts';
import { h } from './dom.ts';

let demo: Promise<{ enabled: boolean; label: string | null }> | null = null;

function readDemo(): Promise<{ enabled: boolean; label: string | null }> {
  demo ??= get<{ enabled?: boolean; label?: string | null }>('/api/v1/demo').then((r) =>
    r.ok && r.data.enabled === true ? { enabled: true, label: typeof r.data.label === 'string' ? r.data.label : null } : { enabled: false, label: null },
  );
  return demo;
}

/** Inserts the ribbon after `anchor` once the server says the demo runs. */
export function demoBanner(anchor: HTMLElement): void {
  void readDemo().then((d) => {
    if (!d.enabled || !anchor.isConnected) return;
    anchor.after(
      // The server's label is already bilingual; without one, ours says it.
      d.label !== null
        ? h('div', { class: 'demo-banner', role: 'note', 'data-testid': 'demo-banner' }, h('strong', {}, d.label))
        : h('div', { class: 'demo-banner', role: 'note', 'data-testid': 'demo-banner' }, h('strong', {}, t('demo.title')), ' ', t('demo.text')),
    );
  });
}
