using System.Runtime.InteropServices;
using Kindred.Voice.Audio;

namespace Kindred.Voice.Recognition;

/// <summary>
/// pocketsphinx with Debian's pocketsphinx-en-us model, in-process: the default recogniser. Small and fast, and far
/// less accurate than Whisper on natural speech. Each utterance gets a fresh decoder (no state carries over from one
/// person's turn to the next) with cepstral mean normalisation over the whole utterance (<c>-cmn batch</c>); the
/// next decoder is loaded in the background while the current one works, so the load is off the critical path.
/// </summary>
public sealed class PocketSphinxRecognizer : SpeechRecognizer
{
    /// <summary>Where Debian's pocketsphinx-en-us puts the US English model.</summary>
    public const string DebianModelDirectory = "/usr/share/pocketsphinx/model/en-us";

    private const string GrammarSearch = "kindred_grammar";
    private readonly string[] _arguments;
    private readonly string? _grammar;
    private readonly object _gate = new();
    private Task<IntPtr>? _next;
    private bool _disposed;

    /// <param name="grammar">A JSGF grammar that limits what can be heard (its words must be in the dictionary); null for the general language model.</param>
    /// <param name="modelDirectory">A folder laid out like pocketsphinx-en-us: <c>en-us/</c> (acoustic model), <c>cmudict-en-us.dict</c>, <c>en-us.lm.bin</c>.</param>
    public PocketSphinxRecognizer(string? grammar = null, string modelDirectory = DebianModelDirectory)
        : base("pocketsphinx", grammar is null ? "en-us" : "en-us+jsgf")
    {
        var acoustic = Path.Combine(modelDirectory, "en-us");
        var dictionary = Path.Combine(modelDirectory, "cmudict-en-us.dict");
        var languageModel = Path.Combine(modelDirectory, "en-us.lm.bin");
        if (!Directory.Exists(acoustic) || !File.Exists(dictionary) || (grammar is null && !File.Exists(languageModel)))
        {
            throw new VoiceEngineException(
                $"The pocketsphinx English model was not found in '{modelDirectory}'. On Debian or Ubuntu: sudo apt-get install pocketsphinx-en-us");
        }

        List<string> arguments = ["-hmm", acoustic, "-dict", dictionary, "-cmn", "batch", "-logfn", "/dev/null"];
        if (grammar is null)
        {
            arguments.AddRange(["-lm", languageModel]);
        }

        _arguments = [.. arguments];
        _grammar = grammar;
    }

    /// <summary>
    /// Whether the general language model search ends each utterance with a second, flat-lexicon pass over all of it
    /// (pocketsphinx's <c>-fwdflat</c>). Default true: slightly more accurate. That pass cannot run while the person
    /// speaks, so it costs about 40 ms of decoding per second of speech after they stop; a live conversation turns it
    /// off (<c>false</c>) so that recognition finishes in a constant ~30 ms once an utterance ends. No effect with a grammar.
    /// Without the second pass the search is also pruned harder (see <see cref="LivePruning"/>).
    /// </summary>
    public bool SecondPass { get; init; } = true;

    /// <summary>
    /// A live conversation's pruning: at most 2,000 active HMMs and 10 word exits per frame (pocketsphinx's defaults are
    /// 30,000 and unlimited). On flite and Festival speech of the everyday sentences it heard word for word what the
    /// defaults hear, for about 45% less CPU, so on a busy machine the decoder keeps up with the speech and less is
    /// left to decode, and a shorter lattice to search, when the person stops.
    /// </summary>
    private static readonly string[] LivePruning = ["-fwdflat", "no", "-maxhmmpf", "2000", "-maxwpf", "10"];

    /// <summary>Loads the first decoder now rather than on the first utterance.</summary>
    public Task WarmUpAsync() => PrepareNext();

    /// <summary>Recognises an utterance while it is spoken, on a fresh decoder (see <see cref="PocketSphinxUtterance"/>).</summary>
    public override UtteranceRecognition StartUtterance()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new PocketSphinxUtterance(this);
    }

    protected override async Task<string> RecognizeAt16kAsync(PcmAudio audio, CancellationToken cancellationToken)
    {
        var decoder = await TakeDecoderAsync().ConfigureAwait(false);
        try
        {
            return await Task.Run(() => Decode(decoder, audio.Samples), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _ = PocketSphinxNative.Free(decoder);
        }
    }

    protected override void Dispose(bool disposing)
    {
        Task<IntPtr>? next;
        lock (_gate)
        {
            _disposed = true;
            next = _next;
            _next = null;
        }

        if (next is not null)
        {
            next.ContinueWith(t => _ = PocketSphinxNative.Free(t.Result), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        }

        base.Dispose(disposing);
    }

    internal async Task<IntPtr> TakeDecoderAsync()
    {
        Task<IntPtr> ready;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ready = _next ?? Task.Run(CreateDecoder);
            _next = null;
        }

        var decoder = await ready.ConfigureAwait(false);
        _ = PrepareNext();
        return decoder;
    }

    private Task PrepareNext()
    {
        lock (_gate)
        {
            if (!_disposed && _next is null)
            {
                _next = Task.Run(CreateDecoder);
                // A failure is reported to the utterance that takes this decoder, not here.
                _next.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }

            return _next ?? Task.CompletedTask;
        }
    }

    private unsafe IntPtr CreateDecoder()
    {
        string[] arguments = SecondPass ? _arguments : [.. _arguments, .. LivePruning];
        var argv = new IntPtr[arguments.Length];
        try
        {
            for (var i = 0; i < argv.Length; i++)
            {
                argv[i] = Marshal.StringToCoTaskMemUTF8(arguments[i]);
            }

            IntPtr config;
            fixed (IntPtr* pointer = argv)
            {
                config = PocketSphinxNative.ParseConfig(IntPtr.Zero, PocketSphinxNative.Args(), argv.Length, pointer, 1);
            }

            if (config == IntPtr.Zero)
            {
                throw new VoiceEngineException("pocketsphinx rejected its configuration.");
            }

            // The decoder keeps its own reference to the configuration.
            var decoder = PocketSphinxNative.Init(config);
            _ = PocketSphinxNative.FreeConfig(config);
            if (decoder == IntPtr.Zero)
            {
                throw new VoiceEngineException("pocketsphinx could not load its model (is pocketsphinx-en-us installed and intact?).");
            }

            if (_grammar is not null
                && (PocketSphinxNative.SetJsgfString(decoder, GrammarSearch, _grammar) < 0 || PocketSphinxNative.SetSearch(decoder, GrammarSearch) < 0))
            {
                _ = PocketSphinxNative.Free(decoder);
                throw new VoiceEngineException("pocketsphinx rejected the grammar: it is not valid JSGF, or it uses a word its dictionary does not know.");
            }

            return decoder;
        }
        catch (DllNotFoundException ex)
        {
            throw new VoiceEngineException("pocketsphinx is not installed. On Debian or Ubuntu: sudo apt-get install libpocketsphinx3 pocketsphinx-en-us", ex);
        }
        finally
        {
            foreach (var pointer in argv)
            {
                Marshal.FreeCoTaskMem(pointer);
            }
        }
    }

    private static string Decode(IntPtr decoder, short[] samples)
    {
        Start(decoder);
        Process(decoder, samples, fullUtterance: true);
        return End(decoder);
    }

    internal static void Start(IntPtr decoder)
    {
        if (PocketSphinxNative.StartUtterance(decoder) < 0)
        {
            throw new VoiceEngineException("pocketsphinx could not start decoding.");
        }
    }

    internal static unsafe void Process(IntPtr decoder, ReadOnlySpan<short> samples, bool fullUtterance)
    {
        if (samples.IsEmpty)
        {
            return;
        }

        fixed (short* data = samples)
        {
            if (PocketSphinxNative.ProcessRaw(decoder, data, (nuint)samples.Length, 0, fullUtterance ? 1 : 0) < 0)
            {
                throw new VoiceEngineException("pocketsphinx could not decode the audio.");
            }
        }
    }

    internal static string End(IntPtr decoder)
    {
        _ = PocketSphinxNative.EndUtterance(decoder);
        var hypothesis = PocketSphinxNative.GetHypothesis(decoder, out _);
        return hypothesis == IntPtr.Zero ? "" : Marshal.PtrToStringUTF8(hypothesis)?.Trim() ?? "";
    }

    internal static void FreeDecoder(IntPtr decoder) => _ = PocketSphinxNative.Free(decoder);
}
