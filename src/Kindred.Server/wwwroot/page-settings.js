// A companion's settings: the voice it speaks with, and the switch (off: nothing is heard, kept or sent).
import { api, apiOptional, companionPath } from './api.js';
import { h, showPage, toast } from './dom.js';

export async function renderSettings(companionId) {
  const voiceSection = h('section', { 'aria-labelledby': 'voice-heading', 'aria-busy': 'true' },
    h('h2', { id: 'voice-heading' }, 'Voice'));
  const switchSection = h('section', { 'aria-labelledby': 'switch-heading', 'aria-busy': 'true' },
    h('h2', { id: 'switch-heading' }, 'On or off'));

  showPage('Settings', voiceSection, switchSection);

  await Promise.all([fillVoice(companionId, voiceSection), fillSwitch(companionId, switchSection)]);
  return () => {};
}

async function fillVoice(companionId, section) {
  try {
    const [voices, chosen] = await Promise.all([
      apiOptional('GET', '/api/voices'),
      apiOptional('GET', companionPath(companionId, '/voice')),
    ]);
    if (voices === null || chosen === null) {
      section.append(h('p', { class: 'muted' }, 'This server does not offer a choice of voice yet.'));
      return;
    }
    const select = h('select', { id: 'voice', name: 'voice' },
      ...voices.map((voice) => h('option', { value: voice.id, disabled: voice.available === false, selected: voice.id === chosen.voice },
        voice.available === false ? `${voice.label ?? voice.id} (not installed)` : voice.label ?? voice.id)));
    const saved = h('span', { class: 'muted', role: 'status' });
    select.addEventListener('change', async () => {
      saved.textContent = '';
      try {
        await api('PUT', companionPath(companionId, '/voice'), { voice: select.value });
        saved.textContent = 'Saved.';
      } catch (failure) { toast(failure.message); }
    });
    section.append(h('div', { class: 'row' }, h('label', { for: 'voice' }, 'Speaks with'), select, saved));
  } catch (failure) {
    section.append(h('p', { class: 'error' }, failure.message));
  } finally {
    section.removeAttribute('aria-busy');
  }
}

async function fillSwitch(companionId, section) {
  try {
    const state = await apiOptional('GET', companionPath(companionId, '/switch'));
    if (state === null) {
      section.append(h('p', { class: 'muted' }, 'This server has no off switch yet.'));
      return;
    }
    const label = h('span', { id: 'switch-label' }, 'Companion is on');
    const toggle = h('button', { type: 'button', role: 'switch', id: 'switch', class: 'switch', 'aria-labelledby': 'switch-label' },
      h('span', { class: 'knob', 'aria-hidden': 'true' }));
    const show = (on) => {
      toggle.setAttribute('aria-checked', String(on));
      label.textContent = on ? 'On: listening and remembering' : 'Off: nothing is heard, kept or sent';
    };
    show(state.on !== false);
    toggle.addEventListener('click', async () => {
      const on = toggle.getAttribute('aria-checked') !== 'true';
      toggle.disabled = true;
      try {
        const answer = await api('PUT', companionPath(companionId, '/switch'), { on });
        show(answer?.on ?? on);
      } catch (failure) {
        toast(failure.message);
      } finally {
        toggle.disabled = false;
        toggle.focus();
      }
    });
    section.append(h('div', { class: 'row' }, toggle, label),
      h('p', { class: 'hint' }, 'Switched back on, your companion says how long it was off.'));
  } catch (failure) {
    section.append(h('p', { class: 'error' }, failure.message));
  } finally {
    section.removeAttribute('aria-busy');
  }
}
