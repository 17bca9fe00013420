using Kindred.Core.Inner;
using Kindred.Core.Tests.TestSupport;
using Microsoft.Extensions.AI;

namespace Kindred.Core.Tests.Inner;

public sealed class AppraisalTests
{
    [Fact]
    public void The_lexicon_hears_tiredness_and_stress_as_unpleasant()
    {
        var appraisal = LexiconAppraiser.Appraise("I'm so tired, work has me stressed out all the time");

        Assert.True(appraisal.Valence < 0);
        Assert.Contains("tired", appraisal.Emotions);
        Assert.Contains("stressed", appraisal.Emotions);
        Assert.Equal(AppraisalSource.Lexicon, appraisal.Source);
    }

    [Fact]
    public void A_negated_pleasant_word_reads_as_unpleasant()
    {
        Assert.True(LexiconAppraiser.Appraise("I'm not happy about it").Valence < 0);
        Assert.True(LexiconAppraiser.Appraise("I'm so happy today!").Valence > 0);
    }

    [Theory]
    [InlineData("Should I take the job in Leeds?", PersonNeed.Advice)]
    [InlineData("Tell me a joke, I need it", PersonNeed.Laugh)]
    [InlineData("Ugh, I just need to vent about my boss", PersonNeed.Vent)]
    [InlineData("I watched a film about whales tonight", PersonNeed.Company)]
    public void The_lexicon_hears_what_the_person_needs(string text, PersonNeed need) =>
        Assert.Equal(need, LexiconAppraiser.Appraise(text).Need);

    [Fact]
    public async Task A_valid_model_answer_is_taken_with_unknown_emotions_dropped()
    {
        var chat = new ScriptedChatClient().Says("""{"valence": -0.6, "arousal": 0.2, "emotions": ["tired", "wistful", "sad"], "need": "vent"}""");

        var appraisal = await ModelAppraiser.AppraiseAsync(chat, "long week", CancellationToken.None);

        Assert.Equal(AppraisalSource.Model, appraisal.Source);
        Assert.Equal(-0.6, appraisal.Valence);
        Assert.Equal(["tired", "sad"], appraisal.Emotions);
        Assert.Equal(PersonNeed.Vent, appraisal.Need);
        var request = Assert.Single(chat.Requests);
        Assert.IsType<ChatResponseFormatJson>(request.Options!.ResponseFormat);
    }

    [Theory]
    [InlineData("Once upon a time, there was a little girl named Lily. She loved to play in the park.")]
    [InlineData("""{"valence": -3, "arousal": 0.2, "emotions": [], "need": "vent"}""")]
    [InlineData("""{"valence": 0.1, "arousal": 0.2, "emotions": [], "need": "a hug"}""")]
    [InlineData("""{"valence": 0.1, "emotions": [], "need": "company"}""")]
    [InlineData("""{"valence": "very", "arousal": 0.2, "emotions": [], "need": "company"}""")]
    [InlineData("{ this is not json }")]
    [InlineData("")]
    public async Task Junk_from_the_model_falls_back_to_the_lexicon(string junk)
    {
        var chat = new ScriptedChatClient().Says(junk);

        var appraisal = await ModelAppraiser.AppraiseAsync(chat, "I'm exhausted", CancellationToken.None);

        Assert.Equal(AppraisalSource.Lexicon, appraisal.Source);
        Assert.Contains("tired", appraisal.Emotions);
    }

    [Fact]
    public async Task A_model_that_fails_falls_back_to_the_lexicon()
    {
        var chat = new ScriptedChatClient().Fails(new HttpRequestException("connection refused"));

        var appraisal = await ModelAppraiser.AppraiseAsync(chat, "I'm so lonely", CancellationToken.None);

        Assert.Equal(AppraisalSource.Lexicon, appraisal.Source);
        Assert.Contains("lonely", appraisal.Emotions);
    }

    [Fact]
    public async Task A_model_slower_than_its_time_budget_falls_back_to_the_lexicon()
    {
        var chat = new ScriptedChatClient().SaysThenHangs();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var appraising = ModelAppraiser.AppraiseAsync(chat, "I'm so lonely", CancellationToken.None, TimeSpan.FromSeconds(15), time);
        await chat.Hanging;
        time.Advance(TimeSpan.FromSeconds(14));
        Assert.False(appraising.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(1));
        var appraisal = await appraising;

        Assert.Equal(AppraisalSource.Lexicon, appraisal.Source);
        Assert.Contains("lonely", appraisal.Emotions);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_is_not_swallowed()
    {
        var chat = new ScriptedChatClient().SaysThenHangs();
        using var cancel = new CancellationTokenSource();
        var appraising = ModelAppraiser.AppraiseAsync(chat, "hello", cancel.Token);
        await chat.Hanging;
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => appraising);
    }
}
