using Kindred.Cli.Eval;

namespace Kindred.Cli.Tests.Eval;

public sealed class RecallMetricTests
{
    [Theory]
    [InlineData(5, 1.0)]
    [InlineData(3, 0.5)]
    [InlineData(2, 0.5)]
    [InlineData(1, 0.0)]
    public void Recall_at_k_is_the_share_of_evidence_among_the_first_k(int k, double expected)
    {
        string[] ranked = ["D1:1", "D1:2", "D3:4", "D9:9", "D2:2"];

        Assert.Equal(expected, RecallMetric.RecallAt(ranked, ["D1:2", "D2:2"], k));
    }

    [Fact]
    public void Fewer_hits_than_k_count_as_misses_not_errors()
    {
        Assert.Equal(1.0 / 3, RecallMetric.RecallAt(["D1:1"], ["D1:1", "D1:2", "D1:3"], 25), 10);
        Assert.Equal(0, RecallMetric.RecallAt([], ["D1:1"], 5));
    }

    [Fact]
    public void Evidence_retrieved_twice_or_listed_twice_counts_once()
    {
        Assert.Equal(0.5, RecallMetric.RecallAt(["D1:1", "D1:1"], ["D1:1", "D1:1", "D2:1"], 5));
    }

    [Fact]
    public void A_question_without_evidence_has_no_recall()
    {
        Assert.Throws<ArgumentException>(() => RecallMetric.RecallAt(["D1:1"], [], 5));
    }

    [Theory]
    [InlineData(50, 5.0)]
    [InlineData(99, 10.0)]
    [InlineData(90, 9.0)]
    [InlineData(0, 1.0)]
    [InlineData(100, 10.0)]
    public void Percentiles_are_nearest_rank(double percent, double expected)
    {
        double[] values = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];

        Assert.Equal(expected, RecallMetric.Percentile(values, percent));
    }

    [Fact]
    public void No_latencies_have_no_percentile()
    {
        Assert.Equal(0, RecallMetric.Percentile([], 99));
    }
}
