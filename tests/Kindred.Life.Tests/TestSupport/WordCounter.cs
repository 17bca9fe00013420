using Kindred.Core;

namespace Kindred.Life.Tests.TestSupport;

/// <summary>Counts a word as a token: the scripted model has no tokenizer.</summary>
internal sealed class WordCounter : ITokenCounter
{
    public int ContextLength => 4096;

    public int CountTokens(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length + 1;
}
