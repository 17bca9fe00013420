// Talking with a companion: streamed text over the live WebSocket, and voice (hold to talk, or hands-free).
import { api, companionPath, ApiError } from './api.js';
import { h, showPage, toast } from './dom.js';
import { LiveConversation } from './live.js';
import { Microphone, ReplyPlayer, VOICE_SAMPLE_RATE } from './voice.js';

// Whether this tab talks privately with a companion; kept for the tab (a reload stays private), never sent anywhere.
const privateKey = (companionId) => `kindred.private.${companionId}`;

// Frames said before the server acknowledged voice_start are kept, up to this many (10 s of 20 ms frames).
const MAX_PENDING_FRAMES = 500;

/** What a person should be told when the browser will not give the page a microphone. */
function microphoneProblem(failure) {
  switch (failure?.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'The microphone is blocked: allow it for this page in the browser\'s settings to talk. You can still type.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No microphone was found: connect one to talk. You can still type.';
    case 'NotReadableError':
    case 'AbortError':
      return 'The microphone could not be opened (another app may be using it). You can still type.';
    default:
      return `The microphone could not start: ${failure?.message ?? 'unknown reason'}. You can still type.`;
  }
}

export async function renderTalk(companionId) {
  const title = h('span', { class: 'companion-name', id: 'companion-name' }, 'your companion');
  const connection = h('p', { class: 'connection muted', role: 'status', id: 'connection' }, 'Connecting…');
  const log = h('ol', { class: 'log', id: 'log', tabindex: '0', 'aria-label': 'Conversation', 'aria-live': 'polite', 'aria-relevant': 'additions' });
  const input = h('textarea', { id: 'say', name: 'say', rows: 2, maxlength: 8000, required: true, enterkeyhint: 'send', placeholder: 'Say something…' });
  const send = h('button', { type: 'submit', class: 'primary', id: 'send' }, 'Send');
  const stop = h('button', { type: 'button', id: 'stop', hidden: true }, 'Stop the reply');
  const form = h('form', { class: 'say' },
    h('label', { for: 'say', class: 'visually-hidden' }, 'Say something'), input, h('div', { class: 'row' }, send, stop));
  const hold = h('button', { type: 'button', class: 'talk', id: 'hold-to-talk', 'aria-describedby': 'voice-hint' }, 'Hold to talk');
  const handsFree = h('button', { type: 'button', class: 'talk', id: 'hands-free', 'aria-pressed': 'false' }, 'Hands-free');
  const voiceStatus = h('p', { class: 'voice-status', id: 'voice-status', role: 'status' }, '');
  // Why voice cannot work (no microphone, blocked, no speech engine on the server): said plainly, as an alert.
  const voiceProblem = h('p', { class: 'voice-problem error', id: 'voice-problem', role: 'alert' }, '');
  const voice = h('section', { class: 'voice', 'aria-label': 'Voice', dataset: { playing: 'false', listenedMs: '0' } },
    h('div', { class: 'row' }, hold, handsFree),
    h('p', { class: 'hint', id: 'voice-hint' }, 'Hold the button (or Space) while you speak, or turn on hands-free and just talk. Speaking stops the reply.'),
    voiceStatus, voiceProblem);
  const privateToggle = h('button', { type: 'button', class: 'private-toggle', id: 'private', 'aria-pressed': 'false', 'aria-describedby': 'private-hint' },
    'Private conversation');
  const privateHint = h('span', { class: 'hint', id: 'private-hint' }, 'Nothing said while it is on is kept: not by your companion, not on the server.');
  const privateBanner = h('p', { class: 'private-banner', id: 'private-banner', role: 'status', hidden: true },
    h('strong', {}, 'Private: '), 'nothing said here is kept. It is gone when you turn this off or leave.');

  showPage('Talk', h('p', { class: 'lead' }, 'With ', title),
    h('div', { class: 'row private-row' }, privateToggle, privateHint), privateBanner, connection, log, form, voice);

  const live = new LiveConversation(companionId);
  const player = new ReplyPlayer();
  const microphone = new Microphone();
  let reply = null;          // the companion's message being written
  let spoken = null;         // the companion's message whose audio is arriving
  let voiced = null;         // the companion's message whose audio was heard last
  let spokenOver = false;    // the person spoke over the reply: its remaining audio is not played
  let listening = null;      // { mode, acknowledged, pending, started }
  let left = false;

  const problem = (text) => {
    voiceProblem.textContent = text;
    if (text) voiceStatus.textContent = '';
  };
  const showPrivate = (on) => {
    privateToggle.setAttribute('aria-pressed', String(on));
    privateBanner.hidden = !on;
    document.body.classList.toggle('private', on);
  };
  live.private = sessionStorage.getItem(privateKey(companionId)) === 'true';
  showPrivate(live.private);

  const scrollDown = () => log.lastElementChild?.scrollIntoView({ block: 'end' });
  const setReplying = (on) => {
    stop.hidden = !on;
    send.disabled = on;
  };

  function message(speaker, text, extra = {}) {
    const item = h('li', { class: `message ${speaker}${live.private ? ' private' : ''}`, ...extra },
      h('span', { class: 'visually-hidden' }, speaker === 'person' ? 'You: ' : `${title.textContent}: `),
      h('span', { class: 'text' }, text));
    log.append(item);
    scrollDown();
    return item;
  }

  function startReply() {
    reply = message('companion', '', { dataset: { state: 'streaming', tokens: '0' } });
    setReplying(true);
    return reply;
  }

  // Earlier turns, so the conversation picks up where it left off.
  try {
    const [details, recent] = await Promise.all([
      api('GET', companionPath(companionId)),
      api('GET', companionPath(companionId, '/memories?take=30')),
    ]);
    title.textContent = details.name;
    for (const turn of recent) {
      message(turn.speaker, turn.text, { dataset: { turnId: turn.id, state: turn.status } });
    }
  } catch (failure) {
    if (failure instanceof ApiError && failure.status === 404) {
      connection.textContent = 'There is no such companion.';
      return () => {};
    }
    toast(failure.message);
  }

  live.addEventListener('ready', (event) => {
    if (live.private && event.detail.private !== true) {
      // Never let a person believe a conversation is private when the server did not say so.
      live.private = false;
      sessionStorage.removeItem(privateKey(companionId));
      showPrivate(false);
      toast('This server cannot keep a conversation private: what you say now is kept.');
    }
    title.textContent = event.detail.name;
    connection.textContent = `Connected to ${event.detail.name}.`;
    connection.dataset.state = 'open';
  });
  live.addEventListener('token', (event) => {
    if (!reply) startReply();
    reply.querySelector('.text').append(event.detail.text);
    reply.dataset.tokens = String(Number(reply.dataset.tokens) + 1);
    scrollDown();
  });
  live.addEventListener('done', (event) => {
    const finished = reply ?? startReply();
    finished.dataset.state = event.detail.status;
    if (event.detail.status === 'interrupted') finished.append(h('span', { class: 'note' }, ' (interrupted)'));
    if (event.detail.status === 'withdrawn') finished.remove(); // the person only paused; the whole turn is answered next
    spoken = finished;
    reply = null;
    setReplying(false);
  });
  live.addEventListener('error', (event) => {
    const { code, message: text, retryAfter } = event.detail;
    if (listening && !listening.acknowledged && code === 'bad_message') {
      // A server without the voice extension does not know voice_start.
      stopListening(false);
      problem('Voice is not available on this server yet: type instead.');
      return;
    }
    if (code === 'voice_unavailable') {
      stopListening(false);
      problem(`Voice is not available on this server: ${text ?? 'it has no speech engine.'} You can still type.`);
      return;
    }
    if (code === 'bad_audio') {
      // The server stops listening after audio it cannot use; so does the page.
      stopListening(false);
      problem(`The server could not use that audio: ${text}`);
      return;
    }
    if (code === 'busy') {
      if (reply && reply.dataset.tokens === '0') reply.remove();
      reply = null;
      setReplying(false);
      toast(`${title.textContent} is busy with others; try again in ${retryAfter ?? 'a few'} seconds.`);
      return;
    }
    toast(text ?? 'Something went wrong.');
  });
  live.addEventListener('listening', () => {
    if (!listening) return;
    listening.acknowledged = true;
    for (const frame of listening.pending) live.sendAudio(frame);
    listening.pending = [];
    voiceStatus.textContent = 'Listening…';
  });
  live.addEventListener('speech_started', () => {
    // Barge-in: the person speaks, the companion stops talking (and what she had left to say is not played).
    spokenOver = true;
    if (player.stop() && voiced && voiced.dataset.audioStopped !== 'true') {
      voiced.dataset.audioStopped = 'true';
      voiced.append(h('span', { class: 'note' }, ' (stopped when you spoke)'));
    }
    voiceStatus.textContent = 'Hearing you…';
  });
  live.addEventListener('withdrawn', () => {
    // The last transcript was the first part of a longer turn: the server forgot it and the reply after it.
    const early = [...log.querySelectorAll('.message.person[data-source="voice"]')].at(-1);
    while (early?.nextElementSibling) early.nextElementSibling.remove();
    early?.remove();
  });
  live.addEventListener('transcript', (event) => {
    spokenOver = false;
    if (!event.detail.text) {
      voiceStatus.textContent = 'I did not catch that; say it again?';
      return;
    }
    message('person', event.detail.text, { dataset: { source: 'voice' } });
    voiceStatus.textContent = 'Heard you.';
  });
  live.addEventListener('audio', (event) => {
    if (spokenOver) return;
    const target = reply ?? spoken ?? [...log.querySelectorAll('.message.companion')].at(-1);
    voiced = target ?? null;
    if (target) {
      const clips = Number(target.dataset.audioClips ?? '0') + 1;
      target.dataset.audioClips = String(clips);
      let note = target.querySelector('.audio-note');
      note ??= target.appendChild(h('span', { class: 'audio-note' }));
      note.textContent = ` (spoken aloud: ${clips} ${clips === 1 ? "sentence" : "sentences"})`;
    }
    player.enqueue(event.detail);
    voiceStatus.textContent = 'Speaking…';
  });
  live.addEventListener('audio_done', () => {
    (reply ?? spoken)?.setAttribute('data-audio-done', 'true');
    voiceStatus.textContent = listening?.mode === 'handsfree' ? 'Listening…' : 'Finished speaking.';
  });
  live.addEventListener('outreach', (event) => {
    message('companion', event.detail.text, { class: 'message companion outreach' });
  });
  live.addEventListener('closed', (event) => {
    if (left) return;
    stopListening(false);
    reply = null;
    setReplying(false);
    connection.dataset.state = 'closed';
    connection.replaceChildren(
      event.detail.code === 1006 && connection.textContent === 'Connecting…' ? 'Could not connect. ' : 'Disconnected. ',
      h('button', { type: 'button', class: 'link', onclick: () => { connection.textContent = 'Connecting…'; live.connect(); } }, 'Reconnect'));
  });
  player.addEventListener('error', (event) => { voiceStatus.textContent = event.detail; });
  player.addEventListener('sentence', () => { voice.dataset.playing = 'true'; });
  player.addEventListener('idle', () => { voice.dataset.playing = 'false'; });

  privateToggle.addEventListener('click', () => {
    if (reply) {
      toast('Wait for the reply to finish (or stop it) first.');
      return;
    }
    stopListening(true);
    player.stop();
    live.private = !live.private;
    if (live.private) sessionStorage.setItem(privateKey(companionId), 'true');
    else sessionStorage.removeItem(privateKey(companionId));
    showPrivate(live.private);
    // A private conversation is its own connection: the server forgets it when the connection closes.
    live.close();
    connection.dataset.state = '';
    connection.textContent = 'Connecting…';
    live.connect();
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text || reply) return;
    if (!live.say(text)) {
      toast('Not connected; reconnect first.');
      return;
    }
    message('person', text);
    spokenOver = false;
    startReply();
    input.value = '';
  });
  input.addEventListener('keydown', (event) => {
    // Enter sends; Shift+Enter starts a new line.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  stop.addEventListener('click', () => {
    live.interrupt();
    player.stop();
  });

  async function startListening(mode) {
    if (listening) return;
    if (!Microphone.supported) {
      problem('This browser cannot use a microphone here (it needs a secure page: localhost or https). You can still type.');
      handsFree.setAttribute('aria-pressed', 'false');
      hold.classList.remove('pressed');
      return;
    }
    problem('');
    player.stop();
    spokenOver = false;
    listening = { mode, acknowledged: false, pending: [], started: null };
    const current = listening;
    if (!live.send({ type: 'voice_start', sampleRate: VOICE_SAMPLE_RATE, mode })) {
      listening = null;
      voiceStatus.textContent = 'Not connected; reconnect first.';
      return;
    }
    voiceStatus.textContent = 'Opening the microphone…';
    voice.dataset.listenedMs = '0';
    current.started = microphone.start((frame) => {
      if (listening !== current) return;
      // How much audio was heard (from the samples, not a clock): 16-bit samples at VOICE_SAMPLE_RATE.
      voice.dataset.listenedMs = String(Number(voice.dataset.listenedMs) + (frame.byteLength / 2 / VOICE_SAMPLE_RATE) * 1000);
      if (current.acknowledged) live.sendAudio(frame);
      else if (current.pending.length < MAX_PENDING_FRAMES) current.pending.push(frame);
    });
    try {
      await current.started;
    } catch (failure) {
      // Unless the server already said why listening stopped (no speech engine): that is the news.
      if (listening === current) {
        stopListening(true);
        problem(microphoneProblem(failure));
      }
    }
  }

  async function stopListening(tellServer) {
    const current = listening;
    if (!current) return;
    listening = null;
    if (tellServer) live.send({ type: 'voice_end' });
    try { await current.started; } catch { /* it never started */ }
    microphone.stop();
    handsFree.setAttribute('aria-pressed', 'false');
    hold.classList.remove('pressed');
  }

  // Hold to talk: by pointer (mouse, touch, pen) or by keyboard (Space or Enter held down).
  hold.addEventListener('pointerdown', (event) => {
    hold.setPointerCapture?.(event.pointerId);
    hold.classList.add('pressed');
    startListening('hold');
  });
  for (const type of ['pointerup', 'pointercancel']) {
    hold.addEventListener(type, () => {
      if (listening?.mode === 'hold') {
        voiceStatus.textContent = 'Thinking…';
        stopListening(true);
      }
    });
  }
  hold.addEventListener('keydown', (event) => {
    if ((event.key === ' ' || event.key === 'Enter') && !event.repeat) {
      event.preventDefault();
      hold.classList.add('pressed');
      startListening('hold');
    }
  });
  hold.addEventListener('keyup', (event) => {
    if ((event.key === ' ' || event.key === 'Enter') && listening?.mode === 'hold') {
      event.preventDefault();
      voiceStatus.textContent = 'Thinking…';
      stopListening(true);
    }
  });
  hold.addEventListener('click', (event) => event.preventDefault());
  handsFree.addEventListener('click', () => {
    if (listening?.mode === 'handsfree') {
      stopListening(true);
      voiceStatus.textContent = 'Hands-free is off.';
    } else {
      handsFree.setAttribute('aria-pressed', 'true');
      startListening('handsfree');
    }
  });

  live.connect();
  input.focus();

  return () => {
    left = true;
    document.body.classList.remove('private');
    stopListening(true);
    player.stop();
    live.close();
  };
}
