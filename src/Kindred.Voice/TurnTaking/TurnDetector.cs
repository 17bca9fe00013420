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
public sealed record TurnEvent(TurnEventKind Kind, TimeSpan At, TimeSpan SpeechEndedAt = default, PcmAudio? Utterance = null);

/// <summary>Receives a stretch of a turn's audio.</summary>
internal delegate void UtteranceAudioSink(ReadOnlySpan<short> samples);

/// <summary>
/// Turn-taking over a live 16 kHz audio stream: feeds frames to a voice activity detector and decides when the
/// person starts speaking and when they have finished. Time is the stream's own (samples counted), never the
/// wall clock, so the same audio always gives the same decisions.
/// </summary>
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
    /// Receives the turn's audio as it is gathered: the pre-roll when speech starts, then every frame until the turn
    /// ends, so a recogniser can decode while the person is still speaking.
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
        _speechRun = _silenceRun = 0;
    }

    private TurnEvent? OnFrame()
    {
        var frameLength = _frame.Length;
        _position += frameLength;
        var isSpeech = _detector.SpeechProbability(_frame) >= _options.SpeechThreshold;
        if (!_speaking)
        {
            _preRoll.Enqueue((short[])_frame.Clone());
            while (_preRoll.Count * frameLength > Samples(_options.PreRoll) + Samples(_options.MinSpeech))
            {
                _preRoll.Dequeue();
            }

            _speechRun = isSpeech ? _speechRun + frameLength : 0;
            if (_speechRun < Samples(_options.MinSpeech))
            {
                return null;
            }

            _speaking = true;
            _silenceRun = 0;
            _lastSpeechEnd = _position;
            _utterance.Clear();
            foreach (var frame in _preRoll)
            {
                _utterance.AddRange(frame);
                UtteranceAudio?.Invoke(frame);
            }

            _preRoll.Clear();
            return new TurnEvent(TurnEventKind.SpeechStarted, Time(_position));
        }

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

        if (_silenceRun < Samples(_options.EndSilence) && _utterance.Count < Samples(_options.MaxUtterance))
        {
            return null;
        }

        _speaking = false;
        _speechRun = 0;
        var utterance = new PcmAudio([.. _utterance], SampleRate);
        _utterance.Clear();
        return new TurnEvent(TurnEventKind.SpeechEnded, Time(_position), Time(_lastSpeechEnd), utterance);
    }

    private static int Samples(TimeSpan duration) => (int)(duration.TotalSeconds * SampleRate);

    private static TimeSpan Time(long samples) => TimeSpan.FromSeconds((double)samples / SampleRate);
}
