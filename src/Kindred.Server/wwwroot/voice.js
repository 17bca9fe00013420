// The browser's side of voice: the microphone as 16 kHz PCM16 frames, and the reply's WAV sentences played in order.

export const VOICE_SAMPLE_RATE = 16000;

let sharedContext = null;

/** One AudioContext for capture and playback; created (or resumed) inside a click, as browsers require. */
export async function audioContext() {
  sharedContext ??= new AudioContext();
  if (sharedContext.state === 'suspended') await sharedContext.resume();
  return sharedContext;
}

/** The microphone, downsampled on the audio thread; every 20 ms frame goes to onFrame as an ArrayBuffer. */
export class Microphone {
  #stream = null;
  #source = null;
  #node = null;
  #sink = null;

  static get supported() {
    return Boolean(navigator.mediaDevices?.getUserMedia) && typeof AudioWorkletNode !== 'undefined';
  }

  async start(onFrame) {
    const context = await audioContext();
    if (!context.audioWorklet) throw new Error('This browser cannot process audio (no AudioWorklet).');
    await context.audioWorklet.addModule('/pcm-worklet.js');
    this.#stream = await navigator.mediaDevices.getUserMedia({
      audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true },
    });
    this.#source = context.createMediaStreamSource(this.#stream);
    this.#node = new AudioWorkletNode(context, 'pcm-downsampler', { numberOfInputs: 1, numberOfOutputs: 1 });
    this.#node.port.onmessage = (event) => onFrame(event.data);
    // A silent path to the speakers keeps the graph pulled, so the worklet runs in every browser.
    this.#sink = context.createGain();
    this.#sink.gain.value = 0;
    this.#source.connect(this.#node).connect(this.#sink).connect(context.destination);
  }

  stop() {
    this.#node?.port.close();
    this.#source?.disconnect();
    this.#node?.disconnect();
    this.#sink?.disconnect();
    for (const track of this.#stream?.getTracks() ?? []) track.stop();
    this.#stream = this.#source = this.#node = this.#sink = null;
  }
}

/** Plays each sentence's WAV as it arrives, one after another; stop() silences it at once (barge-in). */
export class ReplyPlayer extends EventTarget {
  #playing = new Set();
  #waiting = 0;              // sentences received, still being decoded
  #nextStart = 0;
  #chain = Promise.resolve();
  #generation = 0;

  get speaking() { return this.#playing.size > 0 || this.#waiting > 0; }

  /** Queues one WAV file (an ArrayBuffer). Decoding is chained so sentences keep their order. */
  enqueue(wav) {
    const generation = this.#generation;
    this.#waiting++;
    this.#chain = this.#chain.then(async () => {
      let context;
      let buffer;
      try {
        context = await audioContext();
        buffer = await context.decodeAudioData(wav);
      } catch {
        this.dispatchEvent(new CustomEvent('error', { detail: 'A piece of the spoken reply could not be played.' }));
        return;
      } finally {
        if (generation === this.#generation) this.#waiting--;
      }
      if (generation !== this.#generation) return; // stopped meanwhile
      const source = context.createBufferSource();
      source.buffer = buffer;
      source.connect(context.destination);
      const startAt = Math.max(context.currentTime, this.#nextStart);
      this.#nextStart = startAt + buffer.duration;
      this.#playing.add(source);
      source.addEventListener('ended', () => {
        this.#playing.delete(source);
        if (this.#playing.size === 0) this.dispatchEvent(new Event('idle'));
      });
      source.start(startAt);
      this.dispatchEvent(new CustomEvent('sentence', { detail: buffer.duration }));
    });
  }

  /** Stops at once; true when something was playing (or received, to be played) and was cut off. */
  stop() {
    const cut = this.speaking;
    this.#generation++;
    this.#waiting = 0;
    for (const source of this.#playing) {
      try { source.stop(); } catch { /* already stopped */ }
    }
    this.#playing.clear();
    this.#nextStart = 0;
    this.dispatchEvent(new Event('idle'));
    return cut;
  }
}
