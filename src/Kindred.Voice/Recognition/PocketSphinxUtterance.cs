using System.Threading.Channels;

namespace Kindred.Voice.Recognition;

/// <summary>
/// pocketsphinx decoding an utterance while it is spoken, on a fresh decoder of its own: audio is decoded in the
/// background as it arrives, so when the utterance ends only the last few frames and the end-of-utterance passes are
/// left. In this block mode pocketsphinx normalises the cepstrum with a running mean that starts from the acoustic
/// model's own initial mean (<c>-cmninit</c>), not with the whole utterance's mean as a batch decode does.
/// </summary>
internal sealed class PocketSphinxUtterance : UtteranceRecognition
{
    private readonly Channel<short[]> _audio = Channel.CreateUnbounded<short[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Task<string> _decoding;
    private volatile bool _abandoned;

    public PocketSphinxUtterance(PocketSphinxRecognizer recognizer)
    {
        _decoding = Task.Run(() => DecodeAsync(recognizer));
    }

    public override void Append(ReadOnlySpan<short> samples)
    {
        if (!samples.IsEmpty && !_audio.Writer.TryWrite(samples.ToArray()))
        {
            throw new InvalidOperationException("The utterance has already ended.");
        }
    }

    public override Task<string> FinishAsync(CancellationToken cancellationToken)
    {
        _audio.Writer.TryComplete();
        return _decoding.WaitAsync(cancellationToken);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        _abandoned = true;
        _audio.Writer.TryComplete();
        try
        {
            await _decoding.ConfigureAwait(false);
        }
        catch (VoiceEngineException)
        {
            // Nobody is waiting for the words any more; the decoder has been freed.
        }
    }

    private async Task<string> DecodeAsync(PocketSphinxRecognizer recognizer)
    {
        var decoder = await recognizer.TakeDecoderAsync().ConfigureAwait(false);
        try
        {
            PocketSphinxRecognizer.Start(decoder);
            var pending = new List<short>();
            while (await _audio.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                // Whatever piled up while the last block was decoded goes in as one block.
                pending.Clear();
                while (_audio.Reader.TryRead(out var chunk))
                {
                    pending.AddRange(chunk);
                }

                if (!_abandoned)
                {
                    PocketSphinxRecognizer.Process(decoder, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pending), fullUtterance: false);
                }
            }

            return _abandoned ? "" : PocketSphinxRecognizer.End(decoder);
        }
        finally
        {
            PocketSphinxRecognizer.FreeDecoder(decoder);
        }
    }
}
