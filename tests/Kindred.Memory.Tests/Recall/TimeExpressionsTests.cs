using Kindred.Memory.Recall;

namespace Kindred.Memory.Tests.Recall;

public sealed class TimeExpressionsTests
{
    // A Wednesday.
    private static readonly DateTimeOffset Now = new(2023, 7, 19, 15, 30, 0, TimeSpan.Zero);

    private static DateTimeOffset Day(int year, int month, int day) => new(year, month, day, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("What did I do yesterday?", 2023, 7, 18, 2023, 7, 19)]
    [InlineData("Where did we go last week?", 2023, 7, 10, 2023, 7, 17)]
    [InlineData("Who did I meet last month", 2023, 6, 1, 2023, 7, 1)]
    [InlineData("What happened in June?", 2023, 6, 1, 2023, 7, 1)]
    [InlineData("What happened in December?", 2022, 12, 1, 2023, 1, 1)]
    [InlineData("Did she paint in May 2022", 2022, 5, 1, 2022, 6, 1)]
    [InlineData("a trip in March, 2021", 2021, 3, 1, 2021, 4, 1)]
    [InlineData("When did Melanie read it in 2022?", 2022, 1, 1, 2023, 1, 1)]
    [InlineData("What did we talk about last year?", 2022, 1, 1, 2023, 1, 1)]
    [InlineData("the picnic last Saturday", 2023, 7, 15, 2023, 7, 16)]
    [InlineData("what did we do last weekend", 2023, 7, 15, 2023, 7, 17)]
    public void Finds_the_window_a_question_names(string text, int y1, int m1, int d1, int y2, int m2, int d2)
    {
        var window = TimeExpressions.Find(text, Now);

        Assert.NotNull(window);
        Assert.Equal(Day(y1, m1, d1), window.Start);
        Assert.Equal(Day(y2, m2, d2), window.End);
    }

    [Fact]
    public void Ago_is_a_window_one_unit_wide_around_the_point_it_names()
    {
        var window = TimeExpressions.Find("I started two weeks ago", Now)!;

        Assert.True(window.Contains(Day(2023, 7, 5)));
        Assert.False(window.Contains(Day(2023, 6, 20)));
        Assert.False(window.Contains(Day(2023, 7, 17)));
        Assert.Equal("two weeks ago", window.Phrase);
    }

    [Fact]
    public void Before_and_since_bound_one_side()
    {
        var before = TimeExpressions.Find("what did she do before June?", Now)!;
        var since = TimeExpressions.Find("anything new since March", Now)!;

        Assert.Equal(Day(2023, 6, 1), before.End);
        Assert.True(before.Contains(Day(2020, 1, 1)));
        Assert.Equal(Day(2023, 3, 1), since.Start);
        Assert.Equal(Now, since.End);
    }

    [Fact]
    public void Recently_reaches_back_about_a_month()
    {
        var window = TimeExpressions.Find("What did Melanie paint recently?", Now)!;

        Assert.True(window.Contains(Now.AddDays(-20)));
        Assert.False(window.Contains(Now.AddDays(-60)));
    }

    [Theory]
    [InlineData("May I ask what you think?")]
    [InlineData("What is Caroline's identity?")]
    [InlineData("She may come over")]
    [InlineData("Room 1234 was booked")]
    public void Text_that_names_no_time_has_no_window(string text)
    {
        Assert.Null(TimeExpressions.Find(text, Now));
    }

    [Fact]
    public void The_first_expression_wins()
    {
        var window = TimeExpressions.Find("Yesterday I remembered what happened in 2019", Now)!;

        Assert.Equal(Day(2023, 7, 18), window.Start);
    }
}
