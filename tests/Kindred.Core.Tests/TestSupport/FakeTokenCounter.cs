namespace Kindred.Core.Tests.TestSupport;

public enum TokenCounting
{
    /// <summary>One token per whitespace-separated word.</summary>
    PerWord,

    /// <summary>One token per four characters, rounded up, whitespace included.</summary>
    PerFourCharacters,
}

/// <summary>A tokenizer with simple, predictable counts and a context length the test sets.</summary>
internal sealed class FakeTokenCounter(int contextLength = 4096, TokenCounting counting = TokenCounting.PerWord) : ITokenCounter
{
    public int ContextLength { get; set; } = contextLength;

    public TokenCounting Counting { get; } = counting;

    public int CountTokens(string text) => Counting switch
    {
        TokenCounting.PerWord => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length,
        _ => (text.Length + 3) / 4,
    };
}
