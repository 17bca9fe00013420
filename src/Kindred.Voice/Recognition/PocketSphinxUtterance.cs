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

    // The words, given out as soon as the end pass has them: freeing the decoder afterwards (tens of milliseconds for
    // the general language model) is not the person's wait.
    private readonly TaskCompletionSource<string> _words = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _abandoned;

    private long _appended;
    private long _decoded;

    /// <summary>How long ending the utterance took once every frame was decoded (for the latency benchmark).</summary>
    internal TimeSpan EndPass { get; private set; }

    /// <summary>Samples appended but not yet decoded when the utterance was finished (for the latency benchmark).</summary>
    internal long BacklogAtFinish { get; private set; }

    /// <summary>How long the decoder took to get the last audio once the utterance was finished (for the latency benchmark).</summary>
    internal TimeSpan BacklogDecoding { get; private set; }

    private long _finishedAt;

    public PocketSphinxUtterance(PocketSphinxRecognizer recognizer)
    {
        _decoding = Task.Run(() => DecodeAsync(recognizer));
        _decoding.ContinueWith(
            t => _words.TrySetException(t.Exception!.InnerExceptions), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    public override void Append(ReadOnlySpan<short> samples)
    {
        if (!samples.IsEmpty && !_audio.Writer.TryWrite(samples.ToArray()))
        {
            throw new InvalidOperationException("The utterance has already ended.");
        }

        _appended += samples.Length;
    }

    public override Task<string> FinishAsync(CancellationToken cancellationToken)
    {
        BacklogAtFinish = _appended - Interlocked.Read(ref _decoded);
        _finishedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        _audio.Writer.TryComplete();
        return _words.Task.WaitAsync(cancellationToken);
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

    /// <summary>The block fed to the decoder at a time: 20 ms at 16 kHz, so at most that much is left when the person stops.</summary>
    private const int BlockSamples = 320;

    private void Decode(IntPtr decoder, List<short> pending, int start, int count)
    {
        if (!_abandoned && count > 0)
        {
            PocketSphinxRecognizer.Process(decoder, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pending).Slice(start, count), fullUtterance: false);
        }
    }

    private async Task<string> DecodeAsync(PocketSphinxRecognizer recognizer)
    {
        var decoder = await recognizer.TakeDecoderAsync().ConfigureAwait(false);
        try
        {
            PocketSphinxRecognizer.Start(decoder);
            var pending = new List<short>();
            var decoded = 0;
            while (await _audio.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (_audio.Reader.TryRead(out var chunk))
                {
                    pending.AddRange(chunk);
                }

                // Fixed blocks, not whatever piled up: the running cepstral mean moves once per block, so blocks cut
                // by timing would make the words depend on how busy the machine was.
                while (pending.Count - decoded >= BlockSamples)
                {
                    Decode(decoder, pending, decoded, BlockSamples);
                    decoded += BlockSamples;
                    Interlocked.Add(ref _decoded, BlockSamples);
                }

                pending.RemoveRange(0, decoded);
                decoded = 0;
            }

            Decode(decoder, pending, 0, pending.Count);
            if (_abandoned)
            {
                _words.TrySetResult("");
                return "";
            }

            var ending = System.Diagnostics.Stopwatch.GetTimestamp();
            BacklogDecoding = _finishedAt == 0 ? TimeSpan.Zero : System.Diagnostics.Stopwatch.GetElapsedTime(_finishedAt, ending);
            var text = PocketSphinxRecognizer.End(decoder);
            EndPass = System.Diagnostics.Stopwatch.GetElapsedTime(ending);
            _words.TrySetResult(text);
            return text;
        }
        finally
        {
            PocketSphinxRecognizer.FreeDecoder(decoder);
        }
    }
}
