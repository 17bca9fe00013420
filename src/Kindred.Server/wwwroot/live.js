// One live conversation over the WebSocket of docs/websocket-protocol.md, with the voice extension:
// JSON text frames both ways, PCM16 binary frames up, one WAV file per spoken sentence down.
import { session, companionPath } from './api.js';

export class LiveConversation extends EventTarget {
  #socket = null;
  #closedByUs = false;

  constructor(companionId) {
    super();
    this.companionId = companionId;
    /** True: the next connect() opens a private conversation, of which the server stores nothing. */
    this.private = false;
  }

  get open() { return this.#socket?.readyState === WebSocket.OPEN; }

  connect() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const url = `${scheme}//${location.host}${companionPath(this.companionId, '/live')}?access_token=${encodeURIComponent(session.token ?? '')}${this.private ? '&private=true' : ''}`;
    const socket = new WebSocket(url);
    socket.binaryType = 'arraybuffer';
    this.#socket = socket;
    this.#closedByUs = false;
    socket.addEventListener('message', (event) => {
      if (typeof event.data === 'string') {
        let message;
        try { message = JSON.parse(event.data); } catch { return; }
        this.dispatchEvent(new CustomEvent(message.type, { detail: message }));
        this.dispatchEvent(new CustomEvent('message', { detail: message }));
      } else {
        this.dispatchEvent(new CustomEvent('audio', { detail: event.data }));
      }
    });
    socket.addEventListener('close', (event) => {
      if (this.#socket !== socket) return;
      this.dispatchEvent(new CustomEvent('closed', { detail: { code: event.code, byUs: this.#closedByUs } }));
    });
  }

  send(message) {
    if (!this.open) return false;
    this.#socket.send(JSON.stringify(message));
    return true;
  }

  sendAudio(pcm16) {
    if (this.open) this.#socket.send(pcm16);
  }

  say(text) { return this.send({ type: 'say', text }); }

  interrupt() { return this.send({ type: 'interrupt' }); }

  close() {
    this.#closedByUs = true;
    this.#socket?.close(1000, 'bye');
    this.#socket = null;
  }
}
