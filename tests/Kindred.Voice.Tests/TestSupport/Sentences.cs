namespace Kindred.Voice.Tests.TestSupport;

/// <summary>
/// Plain everyday sentences in common words, chosen once for every engine and kept the same for all of them, in the
/// form pocketsphinx writes its hypotheses (lowercase, no punctuation).
/// </summary>
internal static class Sentences
{
    public static IReadOnlyList<string> Everyday { get; } =
    [
        "the weather is nice today",
        "i would like a cup of tea",
        "please turn off the lights in the kitchen",
        "what time is it now",
        "my sister lives in a small town",
        "can you tell me a story",
        "we went to the park on sunday",
        "i am going to bed early tonight",
    ];

    /// <summary>A JSGF grammar whose only sentences are <paramref name="sentences"/>.</summary>
    public static string Grammar(IEnumerable<string> sentences) =>
        "#JSGF V1.0;\ngrammar kindred;\npublic <sentence> = " + string.Join(" | ", sentences.Select(s => "( " + s + " )")) + ";\n";
}
