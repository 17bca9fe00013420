// Your companions, and waking a new one: it chooses its own name and greets you.
import { api } from './api.js';
import { h, showPage, formatTime } from './dom.js';

export async function renderCompanions() {
  const list = h('ul', { class: 'companions', 'aria-label': 'Your companions', 'aria-busy': 'true' });
  const waking = h('section', { class: 'waking', 'aria-live': 'polite', id: 'waking' });
  const wake = h('button', { type: 'button', class: 'primary', id: 'wake' }, 'Wake a new companion');

  wake.addEventListener('click', async () => {
    wake.disabled = true;
    waking.className = 'waking card in-progress';
    waking.replaceChildren(h('p', { class: 'pulse' }, 'Waking… your companion is choosing a name.'));
    try {
      const created = await api('POST', '/api/companions');
      const talk = h('a', { class: 'button primary', href: `#/c/${encodeURIComponent(created.companionId)}` }, `Talk with ${created.name}`);
      waking.className = 'waking card awake';
      waking.replaceChildren(
        h('p', { class: 'awake-name' }, h('span', {}, 'Awake, and named '), h('strong', { class: 'companion-name' }, created.name)),
        created.greeting ? h('blockquote', { class: 'greeting' }, created.greeting) : null,
        talk);
      list.querySelector('.empty')?.remove();
      list.prepend(companionItem(created));
      talk.focus();
    } catch (failure) {
      waking.className = 'waking card';
      waking.replaceChildren(h('p', { class: 'error', role: 'alert' }, failure.message));
    } finally {
      wake.disabled = false;
    }
  });

  showPage('Your companions', h('p', { class: 'lead' }, 'Each companion wakes, names itself and remembers your conversations.'), wake, waking, list);

  try {
    const companions = await api('GET', '/api/companions');
    list.replaceChildren(...companions.map(companionItem));
    if (companions.length === 0) list.append(h('li', { class: 'empty' }, 'No companion yet: wake one.'));
  } catch (failure) {
    list.replaceChildren(h('li', { class: 'error' }, failure.message));
  } finally {
    list.removeAttribute('aria-busy');
  }
}

function companionItem(companion) {
  const id = encodeURIComponent(companion.companionId);
  return h('li', { class: 'card companion', dataset: { companionId: companion.companionId } },
    h('a', { href: `#/c/${id}`, class: 'companion-link' }, companion.name),
    h('span', { class: 'muted' }, ` · awake since ${formatTime(companion.wokeAt)}`),
    h('span', { class: 'actions' },
      h('a', { href: `#/c/${id}/know` }, 'What I know'),
      h('a', { href: `#/c/${id}/settings` }, 'Settings')));
}

