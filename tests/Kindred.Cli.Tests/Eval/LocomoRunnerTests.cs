using Kindred.Cli.Eval;
using Kindred.Core;

namespace Kindred.Cli.Tests.Eval;

public sealed class LocomoRunnerTests
{
    private static readonly LocomoConversation Sample = Assert.Single(LocomoParser.Parse(LocomoSample.Json, "t"));

    [Fact]
    public void Every_turn_of_both_speakers_becomes_a_turn_in_order_with_its_speaker_named()
    {
        var turns = LocomoRunner.ToTurns(Sample, "c");

        Assert.Equal(12, turns.Count);
        Assert.Equal(["D1:1", "D1:2", "D1:3"], turns.Take(3).Select(t => t.DiaId));
        Assert.Equal("Ada: Hi Bo, how was your week?", turns[0].Turn.Text);
        Assert.Equal(Speaker.Person, turns[0].Turn.Speaker);
        Assert.Equal(Speaker.Companion, turns[1].Turn.Speaker);
        Assert.Equal("session_2", turns[6].Turn.SessionId);
        Assert.All(turns, t => Assert.Equal("c", t.Turn.CompanionId));
    }

    [Fact]
    public void A_shared_photo_is_remembered_by_its_caption()
    {
        var turn = LocomoRunner.ToTurns(Sample, "c")[2].Turn;

        Assert.Equal("Ada: I adopted a greyhound called Pickles from the shelter. [shares a photo: a photo of a thin dog on a sofa]", turn.Text);
    }

    [Fact]
    public void Turns_take_their_session_time_one_second_apart()
    {
        var turns = LocomoRunner.ToTurns(Sample, "c");

        Assert.Equal(new DateTimeOffset(2023, 5, 8, 13, 56, 0, TimeSpan.Zero), turns[0].Turn.At);
        Assert.Equal(new DateTimeOffset(2023, 5, 8, 13, 56, 5, TimeSpan.Zero), turns[5].Turn.At);
        Assert.Equal(new DateTimeOffset(2023, 6, 19, 10, 4, 0, TimeSpan.Zero), turns[6].Turn.At);
    }

    [Fact]
    public void The_datasets_own_observations_and_summaries_are_never_remembered()
    {
        Assert.DoesNotContain(LocomoRunner.ToTurns(Sample, "c"), t => t.Turn.Text.Contains("adopts a dog", StringComparison.Ordinal) || t.Turn.Text.Contains("Ada adopted a dog", StringComparison.Ordinal));
    }

    [Fact]
    public void A_question_is_asked_just_after_the_last_session_unless_it_has_its_own_date()
    {
        var turns = LocomoRunner.ToTurns(Sample, "c");
        var undated = Sample.Questions[0];
        var dated = undated with { AskedAt = new DateTimeOffset(2023, 6, 1, 0, 0, 0, TimeSpan.Zero) };

        Assert.Equal(new DateTimeOffset(2023, 6, 19, 10, 4, 6, TimeSpan.Zero), LocomoRunner.AskedAt(undated, turns));
        Assert.Equal(dated.AskedAt, LocomoRunner.AskedAt(dated, turns));
    }

    [Fact]
    public void Only_categories_one_to_four_with_evidence_are_asked()
    {
        var question = Sample.Questions[0];

        Assert.Equal([true, true, true, false], Sample.Questions.Select(LocomoRunner.IsAsked));
        Assert.False(LocomoRunner.IsAsked(question with { Evidence = [] }));
        Assert.False(LocomoRunner.IsAsked(question with { Category = 0 }));
    }
}
