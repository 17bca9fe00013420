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

        var fact = Assert.Single(extraction.Facts, f => f.Subject == FactSubject.Person && f.Attribute == attribute);
        Assert.Equal((value, KnowledgeSource.BuiltIn), (fact.Value, extraction.Source));
    }

    [Theory]
    [InlineData("I work at the Central Library.", "workplace", "Central Library", "They work at the Central Library.")]
    [InlineData("i work in a hospital", "workplace", "hospital", "They work at a hospital.")]
    [InlineData("I've been working at St Mary's Hospital for years", "workplace", "St Mary's Hospital", "They work at St Mary's Hospital.")]
    [InlineData("I just started at Initech last week!", "workplace", "Initech", "They work at Initech.")]
    [InlineData("I got a new job at the Royal Mail.", "workplace", "Royal Mail", "They work at the Royal Mail.")]
    [InlineData("My new job is with Oxfam.", "workplace", "Oxfam", "They work at Oxfam.")]
    [InlineData("I'm a nurse.", "occupation", "nurse", "They work as a nurse.")]
    [InlineData("I am an architect, mostly houses.", "occupation", "architect", "They work as an architect.")]
    [InlineData("I'm a software engineer these days", "occupation", "software engineer", "They work as a software engineer.")]
    [InlineData("My job is being a primary school teacher.", "occupation", "primary school teacher", "They work as a primary school teacher.")]
    [InlineData("I finally qualified as a midwife!", "occupation", "midwife", "They work as a midwife.")]
    [InlineData("I work as a dog walker.", "occupation", "dog walker", "They work as a dog walker.")]
    [InlineData("I'm studying law at Leeds University.", "school", "Leeds University", "They study at Leeds University.")]
    [InlineData("I live in Leeds.", "home", "Leeds", "They live in Leeds.")]
    [InlineData("We live in a tiny flat in Glasgow.", "home", "Glasgow", "They live in Glasgow.")]
    [InlineData("I'm based in Cape Town now.", "home", "Cape Town", "They live in Cape Town.")]
    [InlineData("I've relocated to Manchester.", "home", "Manchester", "They moved to Manchester.")]
    [InlineData("I moved back to Dublin in May.", "home", "Dublin", "They moved to Dublin.")]
    [InlineData("I'm originally from the Netherlands.", "hometown", "Netherlands", "They are from Netherlands.")]
    [InlineData("I grew up in Sheffield.", "hometown", "Sheffield", "They are from Sheffield.")]
    [InlineData("I'm 34 years old.", "age", "34", "They are 34.")]
    [InlineData("I turned 40 yesterday.", "age", "40", "They are 40.")]
    [InlineData("I'm retired now.", "workplace", "retired", "They are retired.")]
    [InlineData("I'm unemployed at the moment.", "workplace", "no job", "They are out of work.")]
    [InlineData("I got laid off.", "workplace", "no job", "They left their job.")]
    [InlineData("I resigned from Acme yesterday.", "workplace", "no longer at Acme", "They no longer work at Acme.")]
    public async Task The_persons_working_and_living_life_is_found_in_many_phrasings(string said, string attribute, string value, string text)
    {
        var extraction = await ExtractAsync(said);

        var fact = Assert.Single(extraction.Facts, f => f.Attribute == attribute);
        Assert.Equal((FactSubject.Person, value, text), (fact.Subject, fact.Value, fact.Text));
    }

    [Fact]
    public async Task A_job_said_with_its_workplace_teaches_both()
    {
        var extraction = await ExtractAsync("I'm a librarian at the Central Library.");

        Assert.Equal(
            [("occupation", "librarian"), ("workplace", "Central Library")],
            extraction.Facts.Select(f => (f.Attribute, f.Value)).Order());
    }

    [Theory]
    [InlineData("I'm a big fan of jazz.")]
    [InlineData("I'm a terrible cook.")]
    [InlineData("I'm a former teacher.")]
    [InlineData("I work at the weekend mostly.")]
    [InlineData("I work in London.")]
    [InlineData("I left Paris on Tuesday.")]
    [InlineData("I quit smoking last year.")]
    [InlineData("I let go of the past.")]
    [InlineData("I got fired up about it.")]
    [InlineData("I was born in March.")]
    [InlineData("I turned 5 pages before bed.")]
    [InlineData("I'm going to work at Google.")]
    [InlineData("I'm a nurse's daughter.")]
    [InlineData("I worked as a waiter when I was young, I'd never do it again.")]
    public async Task Work_and_home_rules_do_not_take_what_is_not_a_fact(string said)
    {
        var extraction = await ExtractAsync(said);

        Assert.DoesNotContain(extraction.Facts, f => f.Attribute is "workplace" or "occupation" or "home" or "hometown" or "age");
    }

    [Theory]
    [InlineData("I quit Acme today.")]
    [InlineData("I left Acme.")]
    [InlineData("I quit my job.")]
    [InlineData("I was let go on Friday.")]
    [InlineData("I no longer work at Acme.")]
    public async Task Leaving_the_workplace_already_known_is_a_new_value_that_closes_it(string said)
    {
        var acme = new StoredFact(1, "c1", FactSubject.Person, "workplace", "Acme", "They work at Acme.", null, KnowledgeSource.BuiltIn, Samples.WokeAt, null, null, [3]);

        var extraction = await ExtractAsync(said, [acme]);

        var fact = Assert.Single(extraction.Facts);
        Assert.Equal(("workplace", "no longer at Acme", "They no longer work at Acme."), (fact.Attribute, fact.Value, fact.Text));
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
