using Kindred.Voice.Audio;

namespace Kindred.Voice.TurnTaking;

/// <summary>What the turn detector noticed, and where in the stream.</summary>
public enum TurnEventKind
{
    /// <summary>The person started speaking (the moment to barge in on the companion).</summary>
    SpeechStarted,

    /// <summary>The person finished their turn; <see cref="TurnEvent.Utterance"/> holds what they said.</summary>
    SpeechEnded,
}

/// <summary>A turn-taking event.</summary>
/// <param name="At">Position in the audio stream where the event was decided (the end of the frame that decided it).</param>
/// <param name="SpeechEndedAt">For <see cref="TurnEventKind.SpeechEnded"/>: where the last speech frame ended.</param>
/// <param name="Utterance">For <see cref="TurnEventKind.SpeechEnded"/>: the turn's audio at 16 kHz, with its pre-roll.</param>
/// <param name="ContinuesPrevious">
/// The person resumed within <see cref="TurnDetectorOptions.ContinuationWindow"/> of the end of the previous turn: it
/// was a pause, not the end. On <see cref="TurnEventKind.SpeechStarted"/>: the answer to the previous turn should be
/// withdrawn. On <see cref="TurnEventKind.SpeechEnded"/>: <see cref="Utterance"/> holds the previous turn's audio, the
/// pause and this speech, as one turn.
/// </param>
public sealed record TurnEvent(TurnEventKind Kind, TimeSpan At, TimeSpan SpeechEndedAt = default, PcmAudio? Utterance = null, bool ContinuesPrevious = false);

/// <summary>Receives a stretch of a turn's audio.</summary>
internal delegate void UtteranceAudioSink(ReadOnlySpan<short> samples);

/// <summary>
/// Turn-taking over a live 16 kHz audio stream: feeds frames to a voice activity detector and decides when the
/// person starts speaking and when they have finished. Time is the stream's own (samples counted), never the
/// wall clock, so the same audio always gives the same decisions, however it is cut into pieces.
/// </summary>
/// <remarks>
/// A turn ends after a short silence (<see cref="TurnDetectorOptions.EndSilence"/>) so the companion answers quickly.
/// Because a pause for breath can be that long, the turn's audio and what follows it are kept for
/// <see cref="TurnDetectorOptions.ContinuationWindow"/>: speech that resumes within it continues the same turn
/// (<see cref="TurnEvent.ContinuesPrevious"/>), and its audio starts where the earlier part started.
/// </remarks>
public sealed class TurnDetector
{
    private readonly IVoiceActivityDetector _detector;
    private readonly TurnDetectorOptions _options;
    private readonly short[] _frame;
    private readonly List<short> _utterance = [];
    private readonly Queue<short[]> _preRoll = new();
    private int _frameFill;
    private long _position;
    private bool _speaking;
    private int _speechRun;
    private int _silenceRun;
    private long _lastSpeechEnd;
    private bool _continuing;

    // The turn that ended on silence and everything heard since, while speech may still continue it; else null.
    private List<short>? _ended;
    private long _endedAt;

    public TurnDetector(IVoiceActivityDetector detector, TurnDetectorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(detector);
        _options = options ?? new TurnDetectorOptions();
        _options.Validate();
        _detector = detector;
        _frame = new short[detector.FrameSamples];
    }

    /// <summary>The rate the detector expects.</summary>
    public const int SampleRate = 16_000;

    /// <summary>
    /// Receives the turn's audio as it is gathered: the pre-roll when speech starts (for a continuation, everything
    /// from the start of the earlier part), then every frame until the turn ends, so a recogniser can decode while the
    /// person is still speaking.
    /// </summary>
    internal UtteranceAudioSink? UtteranceAudio { get; set; }

    /// <summary>Samples per detector frame: pushing exactly this many yields at most one event.</summary>
    public int FrameSamples => _frame.Length;

    /// <summary>Whether the person is speaking now.</summary>
    public bool IsSpeaking => _speaking;

    /// <summary>Feeds the next stretch of audio (16 kHz mono, any length) and returns what it decided, in order.</summary>
    public IReadOnlyList<TurnEvent> Push(ReadOnlySpan<short> samples)
    {
        List<TurnEvent>? events = null;
        while (!samples.IsEmpty)
        {
            var take = Math.Min(samples.Length, _frame.Length - _frameFill);
            samples[..take].CopyTo(_frame.AsSpan(_frameFill));
            _frameFill += take;
            samples = samples[take..];
            if (_frameFill == _frame.Length)
            {
                _frameFill = 0;
                if (OnFrame() is { } decided)
                {
                    (events ??= []).Add(decided);
                }
            }
        }

        return events ?? (IReadOnlyList<TurnEvent>)[];
    }

    /// <summary>Forgets the current turn and the detector's state (for example after the companion stopped listening).</summary>
    public void Reset()
    {
        _detector.Reset();
        _utterance.Clear();
        _preRoll.Clear();
        _frameFill = 0;
        _speaking = false;
        _continuing = false;
        _ended = null;
        _speechRun = _silenceRun = 0;
    }

    private TurnEvent? OnFrame()
    {
        var frameLength = _frame.Length;
        _position += frameLength;
        var isSpeech = _detector.SpeechProbability(_frame) >= _options.SpeechThreshold;
        return _speaking ? OnSpeakingFrame(isSpeech) : OnQuietFrame(isSpeech);
    }

    private TurnEvent? OnQuietFrame(bool isSpeech)
    {
        var frameLength = _frame.Length;
        _preRoll.Enqueue((short[])_frame.Clone());
        while (_preRoll.Count * frameLength > Samples(_options.PreRoll) + Samples(_options.MinSpeech))
        {
            _preRoll.Dequeue();
        }

        _speechRun = isSpeech ? _speechRun + frameLength : 0;
        if (_ended is not null)
        {
            // The window is over once speech can no longer have begun within it.
            var onset = _position - _speechRun;
            if (onset - _endedAt > Samples(_options.ContinuationWindow))
            {
                _ended = null;
            }
            else
            {
                _ended.AddRange(_frame);
            }
        }

        if (_speechRun < Samples(_options.MinSpeech))
        {
            return null;
        }

        _speaking = true;
        _silenceRun = 0;
        _lastSpeechEnd = _position;
        _utterance.Clear();
        _continuing = _ended is not null;
        if (_ended is { } earlier)
        {
            // A pause, not an end: the turn goes on from where it started, the pause included.
            _ended = null;
            _utterance.AddRange(earlier);
            UtteranceAudio?.Invoke(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(earlier));
        }
        else
        {
            foreach (var frame in _preRoll)
            {
                _utterance.AddRange(frame);
                UtteranceAudio?.Invoke(frame);
            }
        }

        _preRoll.Clear();
        return new TurnEvent(TurnEventKind.SpeechStarted, Time(_position), ContinuesPrevious: _continuing);
    }

    private TurnEvent? OnSpeakingFrame(bool isSpeech)
    {
        var frameLength = _frame.Length;
        _utterance.AddRange(_frame);
        UtteranceAudio?.Invoke(_frame);
        if (isSpeech)
        {
            _silenceRun = 0;
            _lastSpeechEnd = _position;
        }
        else
        {
            _silenceRun += frameLength;
        }

        var endedOnSilence = _silenceRun >= Samples(_options.EndSilence);
        if (!endedOnSilence && _utterance.Count < Samples(_options.MaxUtterance))
        {
            return null;
        }

        _speaking = false;
        _speechRun = 0;
        var utterance = new PcmAudio([.. _utterance], SampleRate);
        // Only a silence can be a pause; a turn cut at its longest length is over.
        if (endedOnSilence && _options.ContinuationWindow > TimeSpan.Zero)
        {
            (_ended, _endedAt) = ([.. _utterance], _position);
        }

        _utterance.Clear();
        var continued = _continuing;
        _continuing = false;
        return new TurnEvent(TurnEventKind.SpeechEnded, Time(_position), Time(_lastSpeechEnd), utterance, continued);
    }

    private static int Samples(TimeSpan duration) => (int)(duration.TotalSeconds * SampleRate);

    private static TimeSpan Time(long samples) => TimeSpan.FromSeconds((double)samples / SampleRate);
}
