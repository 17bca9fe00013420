using System.Threading.Channels;
using Microsoft.Extensions.AI;

namespace Kindred.Voice.Conversation;

/// <summary>
/// Speaks a reply while it is still being written: text goes in as it arrives, each sentence is synthesised as soon
/// as it is complete and handed on as one audio file, in order. The first piece is cut at its first clause (see
/// <see cref="SentenceSplitter.CutFirstClause"/>) so the first audio is ready sooner. The server's spoken replies
/// and the voice latency benchmark both go through here.
/// </summary>
public sealed class SentenceSpeaker
{
    private readonly ITextToSpeechClient _voice;
    private readonly TextToSpeechOptions? _options;
    private readonly SentenceSplitter _splitter = new() { CutFirstClause = true };
    private readonly Channel<string> _sentences = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    public SentenceSpeaker(ITextToSpeechClient voice, TextToSpeechOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(voice);
        (_voice, _options) = (voice, options);
    }

    /// <summary>Adds the next piece of the reply's text. Call from one writer at a time.</summary>
    public void Append(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var sentence in _splitter.Append(text))
        {
            _sentences.Writer.TryWrite(sentence);
        }
    }

    /// <summary>The reply is complete (or was cut off): what is left is spoken, then <see cref="SpeakAsync"/> ends.</summary>
    public void Complete()
    {
        if (_splitter.Flush() is { } last)
        {
            _sentences.Writer.TryWrite(last);
        }

        _sentences.Writer.TryComplete();
    }

    /// <summary>
    /// Synthesises each sentence as it becomes available and hands its audio to <paramref name="play"/>, until
    /// <see cref="Complete"/> has been called and everything is said, or <paramref name="cancellationToken"/> stops it.
    /// </summary>
    /// <returns>The sentences whose audio was handed on, in order.</returns>
    public async Task<IReadOnlyList<string>> SpeakAsync(Func<DataContent, CancellationToken, ValueTask> play, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(play);
        var spoken = new List<string>();
        await foreach (var sentence in _sentences.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            var response = await _voice.GetAudioAsync(sentence, _options, cancellationToken).ConfigureAwait(false);
            foreach (var audio in response.Contents.OfType<DataContent>())
            {
                await play(audio, cancellationToken).ConfigureAwait(false);
            }

            spoken.Add(sentence);
        }

        return spoken;
    }
}
