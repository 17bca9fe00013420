using Kindred.Cli.Eval;

namespace Kindred.Cli.Tests.Eval;

public sealed class EvalSummaryTests
{
    [Fact]
    public void Recall_is_averaged_over_questions_overall_and_per_category()
    {
        var outcomes = new List<ConversationOutcome>
        {
            new("a", 100, TimeSpan.FromSeconds(2), [Question(2, ["D1:1"], ["D1:1"], 1), Question(1, ["D1:1", "D1:2"], ["D1:1", "D9:9", "D1:2"], 3)]),
            new("b", 300, TimeSpan.FromSeconds(2), [Question(2, ["D1:1"], ["D5:5"], 2)]),
        };

        var summary = EvalSummary.From(outcomes, [1, 3]);

        Assert.Equal((2, 400, 3, 100.0), (summary.Conversations, summary.TurnsIngested, summary.QuestionsAsked, summary.IngestionTurnsPerSecond));
        Assert.Equal(["1 multi-hop", "2 temporal"], summary.ByCategory.Select(r => r.Group));
        Assert.Equal(0.5, summary.ByCategory[0].RecallAtK["1"]);
        Assert.Equal(1.0, summary.ByCategory[0].RecallAtK["3"]);
        Assert.Equal(0.5, summary.ByCategory[1].RecallAtK["1"]);
        Assert.Equal(2, summary.ByCategory[1].Questions);
        Assert.Equal((0.5 + 1 + 0) / 3, summary.Overall.RecallAtK["1"], 10);
        Assert.Equal(2.0 / 3, summary.Overall.RecallAtK["3"], 10);
        Assert.Equal((2.0, 3.0), (summary.SearchP50Ms, summary.SearchP99Ms));
    }

    [Fact]
    public void Nothing_asked_reports_zeros_rather_than_failing()
    {
        var summary = EvalSummary.From([], [5]);

        Assert.Equal(0, summary.Overall.RecallAtK["5"]);
        Assert.Empty(summary.ByCategory);
    }

    private static QuestionOutcome Question(int category, string[] evidence, string[] retrieved, double latencyMs) =>
        new(category, evidence, retrieved, latencyMs);
}
