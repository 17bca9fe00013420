// "What I know about you": the conversation's memories (search, forget), facts (correct, forget), the people in your
// life (forget), and the whole export. Facts and people come from routes a server may not have yet: a 404 says so.
import { api, apiOptional, companionPath, session } from './api.js';
import { h, showPage, toast, formatTime, confirmButton } from './dom.js';

const asList = (value, key) => (Array.isArray(value) ? value : value?.[key] ?? value?.items ?? []);

export async function renderKnowledge(companionId) {
  const memories = h('ol', { class: 'memories', id: 'memories', 'aria-label': 'Memories', 'aria-busy': 'true' });
  const query = h('input', { id: 'memory-query', name: 'q', type: 'search', maxlength: 1000, placeholder: 'e.g. my sister' });
  const searchForm = h('form', { class: 'row search', role: 'search' },
    h('label', { for: 'memory-query' }, 'Search memories'), query,
    h('button', { type: 'submit' }, 'Search'),
    h('button', { type: 'button', onclick: () => { query.value = ''; loadLatest(); } }, 'Latest'));
  const facts = h('ul', { class: 'facts', id: 'facts', 'aria-label': 'Facts', 'aria-busy': 'true' });
  const people = h('ul', { class: 'people', id: 'people', 'aria-label': 'People', 'aria-busy': 'true' });
  const exportButton = h('button', { type: 'button', id: 'export' }, 'Download everything (JSON)');

  showPage('What I know about you',
    h('p', { class: 'lead' }, 'Everything here is yours: correct it, forget it, or take it with you.'),
    h('section', { 'aria-labelledby': 'memories-heading' },
      h('h2', { id: 'memories-heading' }, 'Memories'),
      h('p', { class: 'hint' }, 'Every turn of your conversations. Forgetting one removes it for good.'),
      searchForm, memories),
    h('section', { 'aria-labelledby': 'facts-heading' },
      h('h2', { id: 'facts-heading' }, 'Facts about you'), facts),
    h('section', { 'aria-labelledby': 'people-heading' },
      h('h2', { id: 'people-heading' }, 'People in your life'), people),
    h('section', { 'aria-labelledby': 'export-heading' },
      h('h2', { id: 'export-heading' }, 'Export'),
      h('p', { class: 'hint' }, 'One portable file with everything your companion knows.'),
      exportButton));

  function memoryItem(turn, why) {
    const item = h('li', { class: `card memory ${turn.speaker}`, dataset: { turnId: turn.id } },
      h('p', { class: 'meta muted' }, `${turn.speaker === 'person' ? 'You' : 'Companion'} · ${formatTime(turn.at)}${turn.status === 'interrupted' ? ' · cut off' : ''}`),
      h('p', { class: 'text', id: `memory-${turn.id}` }, turn.text),
      why ? h('p', { class: 'why hint' }, why) : null,
      confirmButton('Forget', 'Forget for good', async () => {
        try {
          await api('DELETE', companionPath(companionId, `/memories/${turn.id}`));
          item.remove();
          toast('Forgotten, for good.');
          searchForm.querySelector('input').focus();
        } catch (failure) { toast(failure.message); }
      }, { 'aria-describedby': `memory-${turn.id}` }));
    return item;
  }

  async function showMemories(load) {
    memories.setAttribute('aria-busy', 'true');
    try {
      const items = await load();
      memories.replaceChildren(...items);
      if (items.length === 0) memories.append(h('li', { class: 'empty' }, 'Nothing here.'));
    } catch (failure) {
      memories.replaceChildren(h('li', { class: 'error' }, failure.message));
    } finally {
      memories.removeAttribute('aria-busy');
    }
  }

  const loadLatest = () => showMemories(async () => {
    const turns = await api('GET', companionPath(companionId, '/memories?take=100'));
    return turns.reverse().map((turn) => memoryItem(turn));
  });

  searchForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const q = query.value.trim();
    if (!q) { loadLatest(); return; }
    showMemories(async () => {
      const hits = await api('GET', companionPath(companionId, `/memories/search?q=${encodeURIComponent(q)}&take=20`));
      return hits.map((hit) => memoryItem(hit.turn, hit.why));
    });
  });

  function factItem(fact) {
    const id = fact.id ?? fact.factId;
    const text = h('p', { class: 'text' }, fact.text);
    const editor = h('input', { id: `fact-${id}`, value: fact.text, maxlength: 1000 });
    const edit = h('form', { class: 'row', hidden: true },
      h('label', { for: `fact-${id}`, class: 'visually-hidden' }, 'Corrected fact'), editor,
      h('button', { type: 'submit', class: 'primary' }, 'Save'),
      h('button', { type: 'button', onclick: () => { edit.hidden = true; correct.hidden = false; correct.focus(); } }, 'Cancel'));
    const correct = h('button', { type: 'button' }, 'Correct');
    correct.addEventListener('click', () => { edit.hidden = false; correct.hidden = true; editor.focus(); });
    edit.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        const updated = await api('PUT', companionPath(companionId, `/facts/${id}`), { text: editor.value.trim() });
        text.textContent = updated?.text ?? editor.value.trim();
        edit.hidden = true;
        correct.hidden = false;
        correct.focus();
        toast('Corrected.');
      } catch (failure) { toast(failure.message); }
    });
    const since = fact.validFrom ?? fact.since;
    const item = h('li', { class: 'card fact', dataset: { factId: id } },
      text,
      since ? h('p', { class: 'meta muted' }, `since ${formatTime(since)}`) : null,
      edit,
      h('div', { class: 'row' }, correct, confirmButton('Forget', 'Forget for good', async () => {
        try {
          await api('DELETE', companionPath(companionId, `/facts/${id}`));
          item.remove();
          toast('Forgotten, for good.');
        } catch (failure) { toast(failure.message); }
      })));
    return item;
  }

  function personItem(person) {
    const id = person.id ?? person.personId;
    const item = h('li', { class: 'card person', dataset: { personId: id } },
      h('p', { class: 'text' }, h('strong', {}, person.name), person.relation ? ` · ${person.relation}` : ''),
      confirmButton('Forget', `Forget ${person.name} and everything about them`, async () => {
        try {
          await api('DELETE', companionPath(companionId, `/people/${id}`));
          item.remove();
          toast('Forgotten, for good.');
        } catch (failure) { toast(failure.message); }
      }));
    return item;
  }

  async function fill(list, path, key, itemFor, emptyText) {
    try {
      const answer = await apiOptional('GET', companionPath(companionId, path));
      if (answer === null) {
        list.replaceChildren(h('li', { class: 'empty' }, 'This server does not share this yet.'));
        return;
      }
      const items = asList(answer, key).filter((thing) => !thing.validTo).map(itemFor); // facts: only those that still hold
      list.replaceChildren(...items);
      if (items.length === 0) list.append(h('li', { class: 'empty' }, emptyText));
    } catch (failure) {
      list.replaceChildren(h('li', { class: 'error' }, failure.message));
    } finally {
      list.removeAttribute('aria-busy');
    }
  }

  exportButton.addEventListener('click', async () => {
    exportButton.disabled = true;
    try {
      // A plain link cannot send the token; fetch the file, then hand it to the browser as a download.
      const response = await api('GET', companionPath(companionId, '/export'), undefined, { raw: true });
      const url = URL.createObjectURL(await response.blob());
      const link = h('a', { href: url, download: `kindred-${companionId}.json`, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (failure) {
      toast(failure.message);
    } finally {
      exportButton.disabled = false;
    }
  });

  if (!session.token) return () => {};
  await Promise.all([
    loadLatest(),
    fill(facts, '/facts', 'facts', factItem, 'No facts yet: they are learnt from your conversations.'),
    fill(people, '/people', 'people', personItem, 'Nobody yet.'),
  ]);
  return () => {};
}
