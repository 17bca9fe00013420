using Kindred.Core;
using Kindred.Voice.Audio;
using Kindred.Voice.Recognition;
using Kindred.Voice.TurnTaking;

namespace Kindred.Voice.Conversation;

/// <summary>
/// One hands-free conversation: live microphone audio in, the companion's voice out. The turn detector decides when
/// the person has finished; their words are recognised and answered aloud, sentence by sentence. When the person
/// starts speaking while the companion is talking, it stops (barge-in) and the cut-off reply is stored as interrupted.
/// Audio must be pushed from one caller at a time.
/// </summary>
public sealed class VoiceSession : IAsyncDisposable
{
    private readonly Companion _companion;
    private readonly string _sessionId;
    private readonly SpeechRecognizer _ears;
    private readonly VoiceReplier _replier;
    private readonly IAudioOutput _output;
    private readonly TurnDetector _turns;
    private CancellationTokenSource? _interrupt;
    private Task<SpokenReply>? _reply;

    public VoiceSession(Companion companion, string sessionId, SpeechRecognizer ears, VoiceReplier replier, IAudioOutput output, TurnDetector turns)
    {
        ArgumentNullException.ThrowIfNull(companion);
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        ArgumentNullException.ThrowIfNull(ears);
        ArgumentNullException.ThrowIfNull(replier);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(turns);
        (_companion, _sessionId, _ears, _replier, _output, _turns) = (companion, sessionId, ears, replier, output, turns);
    }

    /// <summary>Called with what the person said, once recognised (for a transcript on screen).</summary>
    public Func<string, CancellationToken, ValueTask>? Heard { get; init; }

    /// <summary>The companion's reply in progress or last finished; null before the first.</summary>
    public Task<SpokenReply>? CurrentReply => _reply;

    /// <summary>Feeds microphone audio (mono, any rate: it is resampled to 16 kHz) and acts on what it completes.</summary>
    public async Task PushAsync(PcmAudio audio, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audio);
        foreach (var turn in _turns.Push(audio.ResampledTo(TurnDetector.SampleRate).Samples))
        {
            if (turn.Kind == TurnEventKind.SpeechStarted)
            {
                await BargeInAsync().ConfigureAwait(false);
            }
            else if (turn.Utterance is { } utterance)
            {
                await AnswerAsync(utterance, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await BargeInAsync().ConfigureAwait(false);
        _interrupt?.Dispose();
    }

    private async Task BargeInAsync()
    {
        if (_reply is { IsCompleted: false } running && _interrupt is not null)
        {
            await _interrupt.CancelAsync().ConfigureAwait(false);
            await running.ConfigureAwait(false);
        }
    }

    private async Task AnswerAsync(PcmAudio utterance, CancellationToken cancellationToken)
    {
        var text = await _ears.RecognizeAsync(utterance, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(text))
        {
            return;
        }

        if (Heard is { } heard)
        {
            await heard(text, cancellationToken).ConfigureAwait(false);
        }

        await BargeInAsync().ConfigureAwait(false);
        _interrupt?.Dispose();
        _interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Not awaited: the person may speak over the reply, and their audio must keep flowing in meanwhile.
        _reply = _replier.ReplyAsync(_companion, text, _sessionId, _output, _interrupt.Token);
    }
}
