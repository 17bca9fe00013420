using Kindred.Core;
using Kindred.Memory.Knowledge;

namespace Kindred.Memory.Tests.Knowledge;

public sealed class BuiltInExtractorTests
{
    private static readonly BuiltInExtractor Extractor = new();

    private static async Task<Extraction> ExtractAsync(string said, IReadOnlyList<StoredFact>? known = null, Speaker speaker = Speaker.Person)
    {
        var turn = new StoredTurn(7, "c1", "s1", speaker, said, Samples.WokeAt, TurnStatus.Complete);
        return await Extractor.ExtractAsync(new ExtractionRequest("c1", [turn], known ?? [], []), CancellationToken.None);
    }

    [Theory]
    [InlineData("My sister Amy is coming over tonight.", "Amy", "sister")]
    [InlineData("my best friend, Jonas Berg, called me", "Jonas Berg", "best friend")]
    [InlineData("Tom is my boss and he is strict.", "Tom", "boss")]
    [InlineData("My mum's name is Helen.", "Helen", "mum")]
    public async Task People_named_with_their_relation_are_found(string said, string name, string relation)
    {
        var extraction = await ExtractAsync(said);

        var person = Assert.Single(extraction.People);
        Assert.Equal((name, relation, 7L), (person.Name, person.Relation, person.TurnId));
        Assert.Contains(extraction.Facts, f => f.Subject == name && f.Attribute == "relation" && f.Value == relation);
    }

    [Theory]
    [InlineData("I work at Acme Robotics these days.", "workplace", "Acme Robotics")]
    [InlineData("I'm working for Google now.", "workplace", "Google")]
    [InlineData("I live in Lisbon.", "home", "Lisbon")]
    [InlineData("We just moved to New York last week", "home", "New York")]
    [InlineData("I'm married to Catherine.", "marital status", "married to Catherine")]
    [InlineData("I work as a nurse at the clinic.", "occupation", "nurse")]
    public async Task Facts_about_the_person_are_found_in_their_own_words(string said, string attribute, string value)
    {
        var extraction = await ExtractAsync(said);

        var fact = Assert.Single(extraction.Facts, f => f.Subject == FactSubject.Person);
        Assert.Equal((attribute, value, KnowledgeSource.BuiltIn), (fact.Attribute, fact.Value, extraction.Source));
    }

    [Fact]
    public async Task A_separation_is_from_the_partner_already_known()
    {
        var married = new StoredFact(1, "c1", FactSubject.Person, "marital status", "married to Catherine", "They are married to Catherine.", null, KnowledgeSource.BuiltIn, Samples.WokeAt, null, null, [3]);

        var extraction = await ExtractAsync("We separated in March, it has been hard.", [married]);

        var fact = Assert.Single(extraction.Facts);
        Assert.Equal(("marital status", "separated from Catherine"), (fact.Attribute, fact.Value));
    }

    [Theory]
    [InlineData("Do you live in Paris?")]
    [InlineData("If I moved to Berlin I would be happier.")]
    [InlineData("I don't live in Rome any more.")]
    [InlineData("My sister is lovely.")]
    [InlineData("I wish I worked at Pixar.")]
    public async Task Questions_wishes_and_negations_teach_nothing(string said)
    {
        var extraction = await ExtractAsync(said);

        Assert.Empty(extraction.Facts);
        Assert.Empty(extraction.People);
    }

    [Fact]
    public async Task Only_the_persons_own_words_count()
    {
        var extraction = await ExtractAsync("I live in Lisbon and my sister Amy visits.", speaker: Speaker.Companion);

        Assert.Empty(extraction.Facts);
        Assert.Empty(extraction.People);
    }

    [Fact]
    public async Task A_session_summary_quotes_the_most_telling_sentences_in_order()
    {
        StoredTurn Turn(long id, Speaker speaker, string text) => new(id, "c1", "s1", speaker, text, Samples.WokeAt, TurnStatus.Complete);
        var session = new[]
        {
            Turn(1, Speaker.Companion, "How was your week?"),
            Turn(2, Speaker.Person, "Fine. Busy, honestly, lots going on at home and work. I moved to Porto with my sister Amy."),
            Turn(3, Speaker.Person, "The weather is nice. I started learning the guitar this month and I love it."),
        };

        var draft = await Extractor.SummarizeAsync(session, CancellationToken.None);

        Assert.NotNull(draft);
        Assert.StartsWith("They said: \"", draft.Text, StringComparison.Ordinal);
        Assert.Contains("\"I moved to Porto with my sister Amy.\"", draft.Text, StringComparison.Ordinal);
        Assert.True(draft.Text.IndexOf("Porto", StringComparison.Ordinal) < draft.Text.IndexOf("guitar", StringComparison.Ordinal));
        Assert.DoesNotContain("\"Fine.\"", draft.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("How was your week", draft.Text, StringComparison.Ordinal);
        Assert.Equal(KnowledgeSource.BuiltIn, draft.Source);
    }
}
