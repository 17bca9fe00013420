using System.Text;
using Kindred.Core;
using Kindred.Models.Gguf;
using LLama;
using LLama.Common;
using LLama.Exceptions;
using LLama.Native;
using Microsoft.Extensions.AI;

namespace Kindred.Models.Local;

/// <summary>
/// A GGUF model loaded in this process and shared by every conversation through one <see cref="BatchScheduler"/>.
/// The file is validated before llama.cpp sees it, because llama.cpp aborts the process on some malformed files.
/// </summary>
public sealed class LocalModel : ITokenCounter, IDisposable
{
    /// <summary>The per-conversation context used when the model's own is larger and none is configured.</summary>
    public const int DefaultMaxContextLength = 4096;

    private readonly LLamaWeights _weights;
    private readonly LLamaContext _context;

    private LocalModel(GgufInfo info, LLamaWeights weights, LLamaContext context, int contextLength, LocalModelOptions options)
    {
        Info = info;
        _weights = weights;
        _context = context;
        ContextLength = contextLength;
        Format = PromptFormat.For(weights);
        Scheduler = new BatchScheduler(weights, context, contextLength, options.MaxConcurrentSequences, options.BatchSize, options.MaxQueuedRequests);
    }

    /// <summary>What the GGUF file says about itself.</summary>
    public GgufInfo Info { get; }

    /// <summary>Each conversation's context window in tokens.</summary>
    public int ContextLength { get; }

    /// <summary>The scheduler every conversation on this model goes through.</summary>
    public BatchScheduler Scheduler { get; }

    internal PromptFormat Format { get; }

    /// <summary>True when prompts use the model's own chat template; false for the plain transcript format.</summary>
    public bool UsesChatTemplate => Format.UsesChatTemplate;

    /// <summary>A short id for the model: its file name without extension.</summary>
    public string ModelId => Path.GetFileNameWithoutExtension(Info.Path);

    /// <summary>Validates and loads a GGUF model.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="ModelFileException">The file is missing, not a GGUF model, damaged, or llama.cpp refuses it.</exception>
    public static LocalModel Load(LocalModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var info = GgufValidator.Validate(options.ModelPath);
        var contextLength = options.ContextLength > 0
            ? options.ContextLength
            : Math.Min(info.ContextLength is > 0 ? (int)info.ContextLength.Value : DefaultMaxContextLength, DefaultMaxContextLength);

        NativeLlama.EnsureLoaded();
        var parameters = Parameters(options, contextLength);

        LLamaWeights weights;
        try
        {
            weights = LLamaWeights.LoadFromFile(parameters);
        }
        catch (LoadWeightsFailedException ex)
        {
            throw new ModelFileException($"llama.cpp could not load '{options.ModelPath}'; the file may be damaged or of an unsupported architecture ({info.Architecture}).", ex);
        }

        try
        {
            var context = weights.CreateContext(parameters);
            return new LocalModel(info, weights, context, contextLength, options);
        }
        catch
        {
            weights.Dispose();
            throw;
        }
    }

    /// <summary>The llama.cpp settings Kindred loads a model with; the benchmarks use the same for their baselines.</summary>
    internal static ModelParams Parameters(LocalModelOptions options, int contextLength)
    {
        var threads = options.Threads > 0 ? options.Threads : Environment.ProcessorCount;
        return new ModelParams(Path.GetFullPath(options.ModelPath))
        {
            ContextSize = (uint)(contextLength * options.MaxConcurrentSequences),
            SeqMax = (uint)options.MaxConcurrentSequences,

            // Each conversation gets its own slice of the KV cache, so a long one cannot starve the others.
            KVUnified = false,
            BatchSize = (uint)options.BatchSize,
            UBatchSize = (uint)options.BatchSize,
            Threads = threads,
            BatchThreads = threads,
            GpuLayerCount = 0,
            FlashAttention = options.FlashAttention,
        };
    }

    /// <summary>This model as a Microsoft.Extensions.AI chat client.</summary>
    public IChatClient AsChatClient() => new LocalChatClient(this);

    /// <inheritdoc/>
    public int CountTokens(string text) => Tokenize(text, addBos: false, special: false).Length;

    internal LLamaToken[] Tokenize(string text, bool addBos, bool special) => _weights.Tokenize(text, addBos, special, Encoding.UTF8);

    /// <summary>Tokenises a rendered prompt: with BOS when the model wants one and the template did not write it.</summary>
    internal LLamaToken[] TokenizePrompt(string prompt)
    {
        var vocab = _weights.NativeHandle.Vocab;
        var bosText = vocab.BOS is { } bos ? vocab.LLamaTokenToString(bos, isSpecialToken: true) : null;
        var addBos = vocab.ShouldAddBOS && (string.IsNullOrEmpty(bosText) || !prompt.StartsWith(bosText, StringComparison.Ordinal));
        return Tokenize(prompt, addBos, special: true);
    }

    public void Dispose()
    {
        Scheduler.Dispose();
        _context.Dispose();
        _weights.Dispose();
    }
}
