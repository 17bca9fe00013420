using System.Threading.Channels;
using Kindred.Core;
using Microsoft.Extensions.AI;

namespace Kindred.Voice.Conversation;

/// <summary>
/// Speaks a companion's reply while it is still being written: tokens are cut into sentences as they arrive, each
/// sentence is synthesised and played while the model writes the next, and the first sentence is heard before the
/// reply is complete. Barge-in: cancelling the interrupt token stops playback at once and cancels generation, and
/// <see cref="Companion.ReplyAsync"/> stores the reply as interrupted, so the companion knows it was cut off.
/// </summary>
public sealed class VoiceReplier
{
    private readonly ITextToSpeechClient _voice;
    private readonly TimeProvider _time;
    private readonly TextToSpeechOptions? _voiceOptions;

    public VoiceReplier(ITextToSpeechClient voice, TimeProvider? time = null, TextToSpeechOptions? voiceOptions = null)
    {
        ArgumentNullException.ThrowIfNull(voice);
        _voice = voice;
        _time = time ?? TimeProvider.System;
        _voiceOptions = voiceOptions;
    }

    /// <summary>Answers <paramref name="personText"/> aloud through <paramref name="output"/>.</summary>
    /// <param name="interrupt">Cancelled when the person barges in; the result is then <see cref="SpokenReplyOutcome.Interrupted"/>, not an exception.</param>
    public Task<SpokenReply> ReplyAsync(Companion companion, string personText, string sessionId, IAudioOutput output, CancellationToken interrupt)
    {
        ArgumentNullException.ThrowIfNull(companion);
        return SpeakAsync(token => companion.ReplyAsync(personText, sessionId, token), output, interrupt);
    }

    /// <summary>Speaks a reply stream as it is written. <paramref name="reply"/> must stop when given token is cancelled.</summary>
    public async Task<SpokenReply> SpeakAsync(Func<CancellationToken, IAsyncEnumerable<string>> reply, IAudioOutput output, CancellationToken interrupt)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(output);
        var started = _time.GetTimestamp();
        TimeSpan? firstToken = null, firstAudio = null;
        var spoken = new List<string>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(interrupt);
        var sentences = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

        var writing = Task.Run(
            async () =>
            {
                var splitter = new SentenceSplitter();
                try
                {
                    await foreach (var chunk in reply(stop.Token).WithCancellation(stop.Token).ConfigureAwait(false))
                    {
                        firstToken ??= _time.GetElapsedTime(started);
                        foreach (var sentence in splitter.Append(chunk))
                        {
                            sentences.Writer.TryWrite(sentence);
                        }
                    }

                    if (splitter.Flush() is { } last)
                    {
                        sentences.Writer.TryWrite(last);
                    }

                    sentences.Writer.TryComplete();
                }
                catch (Exception ex)
                {
                    sentences.Writer.TryComplete(ex);
                }
            },
            CancellationToken.None);

        try
        {
            await foreach (var sentence in sentences.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                var response = await _voice.GetAudioAsync(sentence, _voiceOptions, stop.Token).ConfigureAwait(false);
                foreach (var audio in response.Contents.OfType<DataContent>())
                {
                    firstAudio ??= _time.GetElapsedTime(started);
                    await output.PlayAsync(audio, stop.Token).ConfigureAwait(false);
                }

                spoken.Add(sentence);
            }

            await writing.ConfigureAwait(false);
            return new SpokenReply(SpokenReplyOutcome.Completed, spoken, firstToken, firstAudio);
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            output.StopPlayback();
            await stop.CancelAsync().ConfigureAwait(false);
            await writing.ConfigureAwait(false);
            return new SpokenReply(SpokenReplyOutcome.Interrupted, spoken, firstToken, firstAudio);
        }
        finally
        {
            // A failed voice or output must not leave the model writing into the void.
            await stop.CancelAsync().ConfigureAwait(false);
            await writing.ConfigureAwait(false);
        }
    }
}
