using System.Diagnostics;
using Kindred.Voice.Audio;
using Kindred.Voice.Recognition;
using Kindred.Voice.TurnTaking;

namespace Kindred.Voice.Conversation;

/// <summary>How the person hands the companion their turn.</summary>
public enum ListeningMode
{
    /// <summary>Voice activity detection decides when each utterance starts and ends; many utterances in a row.</summary>
    HandsFree,

    /// <summary>Hold to talk: one utterance, from the start of listening until <see cref="VoiceListener.End"/>.</summary>
    Hold,
}

/// <summary>What the listener noticed.</summary>
public enum ListenerEventKind
{
    /// <summary>Speech began: the moment to stop the companion's playback (barge-in).</summary>
    SpeechStarted,

    /// <summary>An utterance ended; <see cref="ListenerEvent.Heard"/> completes with its words.</summary>
    UtteranceEnded,
}

/// <param name="Heard">For <see cref="ListenerEventKind.UtteranceEnded"/>: the recognition finishing in the background.</param>
/// <param name="ContinuesPrevious">
/// Hands-free only (see <see cref="TurnEvent.ContinuesPrevious"/>). On <see cref="ListenerEventKind.SpeechStarted"/>:
/// the person only paused, so the previous utterance was not a turn of its own and the answer to it should be
/// withdrawn. On <see cref="ListenerEventKind.UtteranceEnded"/>: the words are the whole turn, the earlier part included.
/// </param>
public sealed record ListenerEvent(ListenerEventKind Kind, Task<HeardUtterance>? Heard = null, bool ContinuesPrevious = false);

/// <summary>An utterance and where its end-of-speech time went.</summary>
/// <param name="Text">The words heard; empty when none.</param>
/// <param name="Duration">The utterance's audio, with its pre-roll and the silence that ended it.</param>
/// <param name="SilenceWaited">
/// How long the turn detector listened to silence before deciding the turn was over (stream time, the VAD hangover;
/// zero in <see cref="ListeningMode.Hold"/>, where releasing the button ends the turn).
/// </param>
/// <param name="RecognitionAfterEnd">Wall time from the end of the utterance to its words (the recogniser's share of the latency).</param>
public sealed record HeardUtterance(string Text, TimeSpan Duration, TimeSpan SilenceWaited, TimeSpan RecognitionAfterEnd);

/// <summary>
/// Live audio in, utterances out: the audio is resampled to 16 kHz as it arrives, the turn detector finds speech,
/// and each utterance is recognised while it is spoken (a fresh recognition per utterance), so that when it ends only
/// the last moments are left to decode. Hands-free, an utterance that turns out to continue after a pause (see
/// <see cref="TurnDetectorOptions.ContinuationWindow"/>) is recognised again from its start, as one utterance. The one listening pipeline of the server's voice conversations and of the
/// voice latency benchmark. Push audio from one caller at a time.
/// </summary>
public sealed class VoiceListener : IAsyncDisposable
{
    private readonly SpeechRecognizer _ears;
    private readonly TurnDetector _turns;
    private readonly StreamingResampler _resampler;
    private readonly ListeningMode _mode;
    private readonly AudioLimits _limits;
    private readonly TimeProvider _time;
    private UtteranceRecognition? _current;
    private long _currentSamples;
    private bool _ended;

    /// <param name="detector">The voice activity detector; the listener owns it from here on.</param>
    /// <param name="sampleRate">The rate the audio arrives at; within <paramref name="limits"/>.</param>
    /// <param name="limits">Accepted sample rates and the longest hold-to-talk utterance. Default <see cref="AudioLimits.Default"/>.</param>
    /// <exception cref="AudioFormatException">The sample rate is outside the limits.</exception>
    public VoiceListener(
        SpeechRecognizer ears,
        IVoiceActivityDetector detector,
        int sampleRate,
        ListeningMode mode,
        TurnDetectorOptions? turns = null,
        AudioLimits? limits = null,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(ears);
        ArgumentNullException.ThrowIfNull(detector);
        _limits = limits ?? AudioLimits.Default;
        if (sampleRate < _limits.MinSampleRate || sampleRate > _limits.MaxSampleRate)
        {
            throw new AudioFormatException($"The sample rate {sampleRate} Hz is not supported; send {_limits.MinSampleRate}–{_limits.MaxSampleRate} Hz.");
        }

        _ears = ears;
        _mode = mode;
        _time = time ?? TimeProvider.System;
        _resampler = new StreamingResampler(sampleRate, TurnDetector.SampleRate);
        _turns = new TurnDetector(detector, turns);
        if (mode == ListeningMode.HandsFree)
        {
            _turns.UtteranceAudio = OnUtteranceAudio;
        }
        else
        {
            _current = ears.StartUtterance();
        }
    }

    /// <summary>The rate audio is expected at.</summary>
    public int SampleRate => _resampler.FromRate;

    /// <summary>Feeds the next stretch of audio (mono, at <see cref="SampleRate"/>) and returns what it decided, in order.</summary>
    /// <exception cref="AudioFormatException">A hold-to-talk utterance ran past the longest allowed; it is dropped.</exception>
    /// <exception cref="InvalidOperationException">Listening has ended.</exception>
    public IReadOnlyList<ListenerEvent> Push(ReadOnlySpan<short> samples)
    {
        if (_ended)
        {
            throw new InvalidOperationException("Listening has ended.");
        }

        var audio = _resampler.Push(samples);
        List<ListenerEvent>? events = null;
        // One detector frame at a time, so the audio handed to the recogniser always belongs to the utterance the
        // detector is in when it decides (a frame yields at most one decision).
        for (var offset = 0; offset < audio.Length; offset += _turns.FrameSamples)
        {
            var frame = audio.AsSpan(offset, Math.Min(_turns.FrameSamples, audio.Length - offset));
            if (_mode == ListeningMode.Hold)
            {
                AppendHeld(frame);
            }

            foreach (var turn in _turns.Push(frame))
            {
                var continues = turn.ContinuesPrevious && _mode == ListeningMode.HandsFree;
                if (turn.Kind == TurnEventKind.SpeechStarted)
                {
                    (events ??= []).Add(new ListenerEvent(ListenerEventKind.SpeechStarted, ContinuesPrevious: continues));
                }
                else if (_mode == ListeningMode.HandsFree && _current is { } utterance)
                {
                    _current = null;
                    var duration = TimeSpan.FromSeconds((double)_currentSamples / TurnDetector.SampleRate);
                    (events ??= []).Add(new ListenerEvent(ListenerEventKind.UtteranceEnded, FinishAsync(utterance, duration, turn.At - turn.SpeechEndedAt), continues));
                }
            }
        }

        return events ?? (IReadOnlyList<ListenerEvent>)[];
    }

    /// <summary>
    /// Stops listening. Hold to talk: the utterance ends now and its words are returned. Hands-free: an utterance in
    /// progress ends now too, so nothing said is lost; null when there was none.
    /// </summary>
    public Task<HeardUtterance>? End()
    {
        if (_ended)
        {
            return null;
        }

        _ended = true;
        if (_current is not { } utterance)
        {
            return null;
        }

        _current = null;
        return FinishAsync(utterance, TimeSpan.FromSeconds((double)_currentSamples / TurnDetector.SampleRate), TimeSpan.Zero);
    }

    /// <summary>Stops listening and abandons an utterance in progress.</summary>
    public async ValueTask DisposeAsync()
    {
        _ended = true;
        _turns.UtteranceAudio = null;
        if (_current is { } utterance)
        {
            _current = null;
            await utterance.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void OnUtteranceAudio(ReadOnlySpan<short> samples)
    {
        if (_current is null)
        {
            _current = _ears.StartUtterance();
            _currentSamples = 0;
        }

        _current.Append(samples);
        _currentSamples += samples.Length;
    }

    private void AppendHeld(ReadOnlySpan<short> frame)
    {
        _currentSamples += frame.Length;
        if (_currentSamples > _limits.MaxDuration.TotalSeconds * TurnDetector.SampleRate)
        {
            var dropped = _current;
            _current = null;
            _ended = true;
            _ = dropped?.DisposeAsync().AsTask();
            throw new AudioFormatException($"The utterance is longer than {_limits.MaxDuration.TotalSeconds:0} seconds; it was not kept. Release the button sooner.");
        }

        _current!.Append(frame);
    }

    private async Task<HeardUtterance> FinishAsync(UtteranceRecognition utterance, TimeSpan duration, TimeSpan silenceWaited)
    {
        var ended = _time.GetTimestamp();
        await using (utterance.ConfigureAwait(false))
        {
            var text = await utterance.FinishAsync(CancellationToken.None).ConfigureAwait(false);
            return new HeardUtterance(text, duration, silenceWaited, _time.GetElapsedTime(ended));
        }
    }
}
