using Kindred.Core;
using Kindred.Voice.Audio;
using Kindred.Voice.Recognition;
using Kindred.Voice.TurnTaking;

namespace Kindred.Voice.Conversation;

/// <summary>
/// One hands-free conversation: live microphone audio in, the companion's voice out. The turn detector decides when
/// the person has finished; their words are recognised and answered aloud, sentence by sentence. When the person
/// starts speaking while the companion is talking, it stops (barge-in) and the cut-off reply is stored as interrupted.
/// When the turn detector finds the person only paused (<see cref="TurnEvent.ContinuesPrevious"/>), the reply stops,
/// the early exchange is withdrawn through <see cref="WithdrawLastExchange"/>, and the whole utterance is answered.
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
    private bool _answeredLast;

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

    /// <summary>
    /// Forgets the last exchange (the person's turn and the reply to it, stored interrupted) from the store, as
    /// <c>memory forget</c> would: called, after the reply has stopped, when that turn turns out to be the first part
    /// of a longer one. Without it the early exchange stays stored beside the whole.
    /// </summary>
    public Func<CancellationToken, Task>? WithdrawLastExchange { get; init; }

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
                if (turn.ContinuesPrevious && _answeredLast && WithdrawLastExchange is { } withdraw)
                {
                    await withdraw(cancellationToken).ConfigureAwait(false);
                }
            }
            else if (turn.Utterance is { } utterance)
            {
                // A continued turn's audio starts where the early part did: it is heard, and answered, whole.
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
        _answeredLast = !string.IsNullOrWhiteSpace(text);
        if (!_answeredLast)
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
