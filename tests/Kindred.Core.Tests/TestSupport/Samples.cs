namespace Kindred.Core.Tests.TestSupport;

/// <summary>Small, readable inputs for the prompt composer.</summary>
internal static class Samples
{
    public static readonly DateTimeOffset Now = new(2025, 6, 4, 20, 0, 0, TimeSpan.Zero);

    public static CompanionIdentity Identity(string name = "Nova") =>
        new("companion-1", name, Now.AddDays(-3), "A warm companion.", ["curious"]);

    public static Relationship Relationship(string? personName = "Sam") =>
        new("companion-1", personName, Now.AddDays(-3), TurnCount: 12, LastTurnAt: Now.AddMinutes(-5));

    public static StoredTurn Turn(long id, Speaker speaker, string text, TurnStatus status = TurnStatus.Complete) =>
        new(id, "companion-1", "session-1", speaker, text, Now.AddMinutes(id - 100), status);

    public static RecalledMemory Remembered(string text, double score) => new(text, score, "test", At: null);

    /// <summary>A text of <paramref name="count"/> distinct words starting with <paramref name="prefix"/>: w0 w1 …</summary>
    public static string Words(string prefix, int count) =>
        string.Join(' ', Enumerable.Range(0, count).Select(i => $"{prefix}{i}"));

    public static PromptInputs Inputs(
        IReadOnlyList<StoredTurn>? turns = null,
        IReadOnlyList<RecalledMemory>? memories = null,
        string personTurn = "How was your day?",
        Relationship? relationship = null) =>
        new(Identity(), relationship ?? Relationship(), memories ?? [], turns ?? [], personTurn, Now);
}
