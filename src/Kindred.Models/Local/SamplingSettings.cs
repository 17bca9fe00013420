using Microsoft.Extensions.AI;

namespace Kindred.Models.Local;

/// <summary>How the next token is chosen. Defaults suit conversation.</summary>
public sealed record SamplingSettings
{
    /// <summary>Default 0.8; 0 picks the most likely token every time.</summary>
    public float Temperature { get; init; } = 0.8f;

    /// <summary>Default 0.95.</summary>
    public float TopP { get; init; } = 0.95f;

    /// <summary>Default 40.</summary>
    public int TopK { get; init; } = 40;

    /// <summary>Default 0.05.</summary>
    public float MinP { get; init; } = 0.05f;

    /// <summary>Default 1.1 (1 turns it off).</summary>
    public float RepeatPenalty { get; init; } = 1.1f;

    /// <summary>Default 0.</summary>
    public float FrequencyPenalty { get; init; }

    /// <summary>Default 0.</summary>
    public float PresencePenalty { get; init; }

    /// <summary>
    /// Never ends on the model's end-of-text token, so generation runs to its token limit or a stop sequence
    /// (default false). For benchmarks and tests that need generations of a known length.
    /// </summary>
    public bool PreventEndOfText { get; init; }

    /// <summary>A seed for repeatable output; null draws one.</summary>
    public uint? Seed { get; init; }

    /// <summary>Reads the sampling options of a Microsoft.Extensions.AI request, keeping defaults for what it leaves unset.</summary>
    public static SamplingSettings From(ChatOptions? options)
    {
        var defaults = new SamplingSettings();
        if (options is null)
        {
            return defaults;
        }

        return defaults with
        {
            Temperature = options.Temperature ?? defaults.Temperature,
            TopP = options.TopP ?? defaults.TopP,
            TopK = options.TopK ?? defaults.TopK,
            FrequencyPenalty = options.FrequencyPenalty ?? defaults.FrequencyPenalty,
            PresencePenalty = options.PresencePenalty ?? defaults.PresencePenalty,
            Seed = options.Seed is { } seed ? unchecked((uint)seed) : null,
        };
    }
}
