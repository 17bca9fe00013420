namespace Kindred.Core;

/// <summary>Counts text in a particular model's own tokens, so prompts are budgeted exactly.</summary>
public interface ITokenCounter
{
    /// <summary>The model's context window in tokens.</summary>
    int ContextLength { get; }

    /// <summary>How many tokens <paramref name="text"/> takes in this model.</summary>
    int CountTokens(string text);
}
