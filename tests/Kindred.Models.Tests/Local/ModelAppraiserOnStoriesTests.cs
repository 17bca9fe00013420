using Kindred.Core.Inner;

namespace Kindred.Models.Tests.Local;

/// <summary>A real model that cannot do the job: stories260K writes stories, never the appraisal's JSON.</summary>
public sealed class ModelAppraiserOnStoriesTests(Stories260KFixture fixture) : IClassFixture<Stories260KFixture>
{
    [Fact]
    public async Task A_model_that_answers_with_a_story_falls_back_to_the_lexicon()
    {
        var client = fixture.Model.AsChatClient();

        var appraisal = await ModelAppraiser.AppraiseAsync(client, "I'm so tired and lonely tonight", CancellationToken.None);

        Assert.Equal(AppraisalSource.Lexicon, appraisal.Source);
        Assert.Contains("tired", appraisal.Emotions);
        Assert.Contains("lonely", appraisal.Emotions);
        Assert.True(appraisal.Valence < 0);
    }
}
