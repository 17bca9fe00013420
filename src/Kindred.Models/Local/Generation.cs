namespace Kindred.Models.Local;

/// <summary>What one generation asks of the scheduler.</summary>
/// <param name="MaxTokens">Most tokens to generate (at least 1).</param>
/// <param name="StopSequences">Text that ends generation; it is not included in the output.</param>
public sealed record GenerationSettings(SamplingSettings Sampling, int MaxTokens, IReadOnlyList<string> StopSequences);

/// <summary>Why a generation ended.</summary>
public enum GenerationFinish
{
    /// <summary>Still running, or failed.</summary>
    None = 0,

    /// <summary>The model ended its turn, or a stop sequence appeared.</summary>
    Stop = 1,

    /// <summary>The token limit was reached.</summary>
    Length = 2,

    /// <summary>The conversation's context window is full.</summary>
    ContextFull = 3,
}

/// <summary>Filled in by the scheduler as a generation runs; read it once the stream has ended.</summary>
public sealed class GenerationStats
{
    /// <summary>Tokens in the prompt.</summary>
    public int PromptTokens { get; internal set; }

    /// <summary>Tokens generated.</summary>
    public int GeneratedTokens { get; internal set; }

    /// <summary>Why it ended.</summary>
    public GenerationFinish Finish { get; internal set; }
}

/// <summary>
/// Thrown when the scheduler's queue is full: every sequence is busy and <see cref="LocalModelOptions.MaxQueuedRequests"/>
/// requests already wait. Try again shortly.
/// </summary>
public sealed class SchedulerBusyException : Kindred.Core.ModelBusyException
{
    public SchedulerBusyException()
        : base("The model is busy with other conversations; try again in a moment.")
    {
    }

    public SchedulerBusyException(string message)
        : base(message)
    {
    }

    public SchedulerBusyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
