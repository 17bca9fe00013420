namespace Kindred.Models.Local;

/// <summary>How an embedded GGUF model is loaded and shared between conversations.</summary>
public sealed class LocalModelOptions
{
    /// <summary>Path of the GGUF file. Required.</summary>
    public string ModelPath { get; set; } = "";

    /// <summary>
    /// Context window of each conversation in tokens (default 0: the model's trained context, capped at 4096;
    /// range 128–131072). Memory grows with this times <see cref="MaxConcurrentSequences"/>.
    /// </summary>
    public int ContextLength { get; set; }

    /// <summary>Conversations generated together in one batch (default 4, range 1–256). Others wait in the queue.</summary>
    public int MaxConcurrentSequences { get; set; } = 4;

    /// <summary>Requests that may wait for a free sequence before new ones are refused (default 64, range 0–100000).</summary>
    public int MaxQueuedRequests { get; set; } = 64;

    /// <summary>CPU threads for decoding (default 0: one per core).</summary>
    public int Threads { get; set; }

    /// <summary>Most tokens decoded in one step, shared by all conversations (default 512, range 32–8192).</summary>
    public int BatchSize { get; set; } = 512;

    /// <summary>
    /// Flash attention in llama.cpp (default null: llama.cpp decides). It saves memory on long contexts; on a CPU
    /// with a tiny model it can cost more than it saves.
    /// </summary>
    public bool? FlashAttention { get; set; }

    /// <summary>Checks every value against its range; the message names the option.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ModelPath))
        {
            throw new ArgumentException("ModelPath is required: the path of a GGUF model file.");
        }

        ValidateLimits();
    }

    /// <summary>Checks every value but the path (which may still be a catalog name to resolve).</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void ValidateLimits()
    {
        Check(ContextLength == 0 || ContextLength is >= 128 and <= 131072, $"ContextLength must be 0 (the model's own) or between 128 and 131072 (was {ContextLength}).");
        Check(MaxConcurrentSequences is >= 1 and <= 256, $"MaxConcurrentSequences must be between 1 and 256 (was {MaxConcurrentSequences}).");
        Check(MaxQueuedRequests is >= 0 and <= 100_000, $"MaxQueuedRequests must be between 0 and 100000 (was {MaxQueuedRequests}).");
        Check(Threads is >= 0 and <= 1024, $"Threads must be between 0 (automatic) and 1024 (was {Threads}).");
        Check(BatchSize is >= 32 and <= 8192, $"BatchSize must be between 32 and 8192 (was {BatchSize}).");
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
