using System.Globalization;
using Kindred.Memory.Recall;
using Spectre.Console;

namespace Kindred.Cli.Eval;

/// <summary>
/// An honest check that recall's weights generalise: for each conversation in turn, the weights are chosen on the
/// others (best mean R@10 over a small grid) and recall is measured on the one left out, which played no part in
/// choosing them. Also shows the shipped defaults on each conversation, and the share of evidence that the candidates
/// hold at all (the most any weighing can reach).
/// </summary>
internal static class RecallTuning
{
    private const int SelectionCutoff = 10;

    /// <summary>The weights tried: each signal off and at a few strengths, both fusions.</summary>
    public static IReadOnlyList<RecallOptions> Grid(RecallOptions defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        var grid = new List<RecallOptions>();
        foreach (var fusion in new[] { RecallFusion.Rank, RecallFusion.Score })
        {
            foreach (var meaning in new[] { 0.3, 0.4, 0.5, 0.6, 0.7 })
            {
                foreach (var speaker in new[] { 0.0, 0.3, 0.6, 1.0 })
                {
                    foreach (var time in new[] { 0.0, 0.3, 0.6 })
                    {
                        foreach (var neighbour in new[] { 0.0, 0.2, 0.35, 0.5, 0.75, 1.0 })
                        {
                            grid.Add(defaults with
                            {
                                Fusion = fusion, MeaningWeight = meaning, SpeakerBoost = speaker, TimeBoost = time, NeighbourWeight = neighbour,
                            });
                        }
                    }
                }
            }
        }

        return grid;
    }

    public static void Write(IAnsiConsole console, IReadOnlyList<ConversationOutcome> conversations, IReadOnlyList<int> k, RecallOptions defaults, float minimumSimilarity)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(conversations);
        var grid = Grid(defaults);
        var depth = Math.Max(k[^1], SelectionCutoff);

        // sums[conversation][option] = total R@10 of that conversation's questions under that option.
        var sums = conversations.Select(c => grid.Select(o => c.Questions.Sum(q => Recall(c, q, o, SelectionCutoff, minimumSimilarity))).ToArray()).ToArray();
        var counts = conversations.Select(c => c.Questions.Count).ToArray();

        var table = new Table().Title("Leave one conversation out: weights chosen on the other conversations")
            .AddColumn("held out").AddColumn(new TableColumn("questions").RightAligned())
            .AddColumn(new TableColumn("R@10 defaults").RightAligned()).AddColumn(new TableColumn("R@10 held out").RightAligned())
            .AddColumn(new TableColumn("evidence in candidates").RightAligned()).AddColumn("weights chosen on the others");
        var heldOut = new List<(int Category, double[] Recall)>();
        for (var h = 0; h < conversations.Count; h++)
        {
            var best = Enumerable.Range(0, grid.Count)
                .MaxBy(o => Enumerable.Range(0, conversations.Count).Where(c => c != h || conversations.Count == 1).Sum(c => sums[c][o]));
            var chosen = grid[best];
            var conversation = conversations[h];
            foreach (var question in conversation.Questions)
            {
                heldOut.Add((question.Category, [.. k.Select(n => Recall(conversation, question, chosen, n, minimumSimilarity))]));
            }

            var defaultsR10 = conversation.Questions.Count == 0 ? 0 : conversation.Questions.Average(q => Recall(conversation, q, defaults, SelectionCutoff, minimumSimilarity));
            var heldR10 = counts[h] == 0 ? 0 : sums[h][best] / counts[h];
            table.AddRow(
                conversation.SampleId.EscapeMarkup(),
                counts[h].ToString(CultureInfo.InvariantCulture),
                F(defaultsR10),
                F(heldR10),
                F(conversation.Questions.Count == 0 ? 0 : conversation.Questions.Average(q => Ceiling(conversation, q))),
                Describe(chosen).EscapeMarkup());
        }

        console.Write(table);
        var byCategory = heldOut.GroupBy(q => q.Category).OrderBy(g => g.Key)
            .Select(g => $"{EvalSummary.CategoryName(g.Key)} {F(g.Average(q => q.Recall[Array.IndexOf(k.ToArray(), SelectionCutoff) is var i and >= 0 ? i : 0]))}");
        console.MarkupLine(("held-out recall over all conversations: " +
            string.Join(" · ", k.Select((n, i) => $"R@{n.ToString(CultureInfo.InvariantCulture)} {F(heldOut.Average(q => q.Recall[i]))}"))).EscapeMarkup());
        console.MarkupLine(("held-out R@10 by category: " + string.Join(" · ", byCategory)).EscapeMarkup());

        var overall = Enumerable.Range(0, grid.Count).OrderByDescending(o => sums.Sum(c => c[o])).Take(5)
            .Select(o => $"{F(sums.Sum(c => c[o]) / counts.Sum())} {Describe(grid[o])}");
        console.MarkupLine("[grey]best weights on all conversations together (for reference, not a held-out number):[/]");
        foreach (var line in overall)
        {
            console.MarkupLine($"[grey]  {line.EscapeMarkup()}[/]");
        }

        _ = depth;
        WriteAblation(console, conversations, k, defaults, minimumSimilarity);
    }

    /// <summary>The defaults, and the defaults with one signal taken away at a time: what each is worth.</summary>
    private static void WriteAblation(IAnsiConsole console, IReadOnlyList<ConversationOutcome> conversations, IReadOnlyList<int> k, RecallOptions defaults, float minimumSimilarity)
    {
        var variants = new (string Name, RecallOptions Options)[]
        {
            ("defaults", defaults),
            ("rank fusion (RRF, k=60) instead of score fusion", defaults with { Fusion = RecallFusion.Rank }),
            ("words only", defaults with { MeaningWeight = 0 }),
            ("meaning only", defaults with { MeaningWeight = 1 }),
            ("no speaker boost", defaults with { SpeakerBoost = 0 }),
            ("no time boost", defaults with { TimeBoost = 0 }),
            ("no neighbour share", defaults with { NeighbourWeight = 0 }),
            ("no neighbours of the best as candidates", defaults with { NeighboursOfBest = 0 }),
            ("no boosts, no neighbours", defaults with { SpeakerBoost = 0, TimeBoost = 0, NeighbourWeight = 0 }),
            ("RRF, no boosts, no neighbours", defaults with { Fusion = RecallFusion.Rank, SpeakerBoost = 0, TimeBoost = 0, NeighbourWeight = 0 }),
        };
        var table = new Table().Title("What each signal is worth (all conversations)").AddColumn("recall");
        foreach (var n in k)
        {
            table.AddColumn(new TableColumn($"R@{n.ToString(CultureInfo.InvariantCulture)}").RightAligned());
        }

        foreach (var (name, options) in variants)
        {
            var cells = new List<string> { name.EscapeMarkup() };
            cells.AddRange(k.Select(n => F(conversations.SelectMany(c => c.Questions.Select(q => Recall(c, q, options, n, minimumSimilarity))).Average())));
            table.AddRow([.. cells]);
        }

        console.Write(table);
    }

    private static double Recall(ConversationOutcome conversation, QuestionOutcome question, RecallOptions options, int k, float minimumSimilarity)
    {
        var hits = RecallRanking.Rank(question.Gathered!, options, k, minimumSimilarity);
        return RecallMetric.RecallAt([.. hits.Select(h => conversation.DiaIds![h.Turn.Id])], question.Evidence, k);
    }

    private static double Ceiling(ConversationOutcome conversation, QuestionOutcome question)
    {
        var found = question.Gathered!.Candidates.Select(c => conversation.DiaIds![c.Turn.Id]).ToHashSet(StringComparer.Ordinal);
        return (double)question.Evidence.Count(found.Contains) / question.Evidence.Count;
    }

    public static string Describe(RecallOptions o) => string.Create(CultureInfo.InvariantCulture,
        $"{o.Fusion} fusion, meaning {o.MeaningWeight:0.##}, speaker {o.SpeakerBoost:0.##}, time {o.TimeBoost:0.##}, neighbour {o.NeighbourWeight:0.##}");

    private static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
}
