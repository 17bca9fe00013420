using System.Globalization;

namespace Kindred.Cli.Eval;

/// <summary>Mean recall@k over a group of questions, keyed by k as text ("5", "10", ...) in the order asked.</summary>
internal sealed record RecallRow(string Group, int Questions, IReadOnlyDictionary<string, double> RecallAtK);

/// <summary>The numbers an evaluation reports, ready for a table or a JSON file.</summary>
internal sealed record EvalSummary(
    IReadOnlyList<int> K,
    int Conversations,
    int TurnsIngested,
    int QuestionsAsked,
    double IngestionSeconds,
    double IngestionTurnsPerSecond,
    double SearchP50Ms,
    double SearchP99Ms,
    RecallRow Overall,
    IReadOnlyList<RecallRow> ByCategory)
{
    /// <summary>LoCoMo's category numbers, named as its README names them.</summary>
    public static string CategoryName(int category) => category switch
    {
        1 => "1 multi-hop",
        2 => "2 temporal",
        3 => "3 open-domain",
        4 => "4 single-hop",
        _ => $"{category.ToString(CultureInfo.InvariantCulture)}",
    };

    public static EvalSummary From(IReadOnlyList<ConversationOutcome> conversations, IReadOnlyList<int> k)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        ArgumentNullException.ThrowIfNull(k);
        var questions = conversations.SelectMany(c => c.Questions).ToList();
        var ingestion = conversations.Sum(c => c.Ingestion.TotalSeconds);
        var turns = conversations.Sum(c => c.Turns);
        var latencies = questions.Select(q => q.LatencyMs).ToList();
        return new EvalSummary(
            k,
            conversations.Count,
            turns,
            questions.Count,
            ingestion,
            ingestion > 0 ? turns / ingestion : 0,
            RecallMetric.Percentile(latencies, 50),
            RecallMetric.Percentile(latencies, 99),
            Row("all", questions, k),
            [.. questions.GroupBy(q => q.Category).OrderBy(g => g.Key).Select(g => Row(CategoryName(g.Key), [.. g], k))]);
    }

    private static RecallRow Row(string group, List<QuestionOutcome> questions, IReadOnlyList<int> k) =>
        new(group, questions.Count, k.ToDictionary(
            n => n.ToString(CultureInfo.InvariantCulture),
            n => questions.Count == 0 ? 0 : questions.Average(q => RecallMetric.RecallAt(q.Retrieved, q.Evidence, n))));
}
