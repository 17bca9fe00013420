using Kindred.Core;
using Kindred.Memory.Knowledge;
using Microsoft.Extensions.AI;

namespace Kindred.Memory.Tests.Knowledge;

public sealed class KnowledgeWorkerTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    private async Task<SqliteCompanionStore> OpenAsync(params string[] said)
    {
        var store = await _db.OpenAsync();
        await store.CreateCompanionAsync(Samples.Identity(), None);
        for (var i = 0; i < said.Length; i++)
        {
            await store.AppendTurnAsync(Samples.Turn(said[i], at: Samples.WokeAt.AddDays(i)), None);
        }

        return store;
    }

    [Fact]
    public async Task Draining_learns_facts_and_people_and_moves_the_mark_past_every_turn()
    {
        await using var store = await OpenAsync("I'm married to Catherine.", "My sister Amy lives nearby.");
        await using var worker = new KnowledgeWorker(store, store, new BuiltInExtractor(), _db.Time);

        var read = await worker.DrainAsync("c1", openSessionId: null, None);

        Assert.Equal(2, read);
        Assert.Equal(2, await store.GetExtractedThroughAsync("c1", None));
        var facts = await store.GetFactsAsync("c1", includeSuperseded: false, None);
        Assert.Contains(facts, f => f.Value == "married to Catherine" && f.TurnIds.SequenceEqual([1L]));
        var people = await store.GetPeopleAsync("c1", None);
        Assert.Equal(["Catherine", "Amy"], people.Select(p => p.Name));
        Assert.Equal("sister", people[1].Relation);
        var summary = Assert.Single(await store.GetSummariesAsync("c1", None));
        Assert.Equal(("s1", 1L, 2L), (summary.SessionId, summary.FirstTurnId, summary.LastTurnId));
    }

    [Fact]
    public async Task A_new_workplace_closes_the_old_one_and_leaving_closes_the_new_one_with_the_history_kept()
    {
        await using var store = await OpenAsync("I work at the Central Library.", "I started at Initech last week, so far so good.", "Honestly? I quit Initech today.");
        await using var worker = new KnowledgeWorker(store, store, new BuiltInExtractor(), _db.Time);

        await worker.DrainAsync("c1", openSessionId: null, None);

        var history = (await store.GetFactsAsync("c1", includeSuperseded: true, None)).Where(f => f.Attribute == "workplace").ToList();
        Assert.Equal(["Central Library", "Initech", "no longer at Initech"], history.Select(f => f.Value));
        Assert.Equal([Samples.WokeAt.AddDays(1), Samples.WokeAt.AddDays(2), (DateTimeOffset?)null], history.Select(f => f.ValidTo));
        Assert.Equal("They no longer work at Initech.", Assert.Single(await store.GetFactsAsync("c1", includeSuperseded: false, None), f => f.Attribute == "workplace").Text);
    }

    [Fact]
    public async Task Quitting_in_a_later_batch_closes_the_workplace_learned_before()
    {
        await using var store = await OpenAsync("I'm a nurse at St Mary's Hospital.");
        await using var worker = new KnowledgeWorker(store, store, new BuiltInExtractor(), _db.Time);
        await worker.DrainAsync("c1", openSessionId: null, None);
        await store.AppendTurnAsync(Samples.Turn("I left my job. Time for something new.", at: Samples.WokeAt.AddDays(3)), None);

        await worker.DrainAsync("c1", openSessionId: null, None);

        var current = await store.GetFactsAsync("c1", includeSuperseded: false, None);
        Assert.Equal("no longer at St Mary's Hospital", Assert.Single(current, f => f.Attribute == "workplace").Value);
        Assert.Equal("nurse", Assert.Single(current, f => f.Attribute == "occupation").Value);
    }

    [Fact]
    public async Task The_open_session_is_not_summarised_until_it_ends()
    {
        await using var store = await OpenAsync("I live in Lisbon and love it here.");
        await using var worker = new KnowledgeWorker(store, store, new BuiltInExtractor(), _db.Time);

        await worker.DrainAsync("c1", openSessionId: "s1", None);
        Assert.Empty(await store.GetSummariesAsync("c1", None));

        await worker.DrainAsync("c1", openSessionId: null, None);
        Assert.Single(await store.GetSummariesAsync("c1", None));
    }

    [Theory]
    [InlineData("junk")]
    [InlineData("throws")]
    [InlineData("hangs")]
    public async Task A_failing_model_loses_nothing_and_the_built_in_rules_answer_instead(string failure)
    {
        await using var store = await OpenAsync("I'm married to Catherine.", "We separated last spring.");
        var model = new MisbehavingChatClient(failure);
        var extractor = new ModelExtractor(model, new BuiltInExtractor(), _db.Time) { AttemptTimeout = TimeSpan.FromSeconds(30) };
        await using var worker = new KnowledgeWorker(store, store, extractor, _db.Time);

        var draining = worker.DrainAsync("c1", null, None);
        if (failure == "hangs")
        {
            // Each try times out on the (fake) clock; nothing waits in real time.
            for (var i = 0; i < 4 && !draining.IsCompleted; i++)
            {
                await model.Called.WaitAsync(TimeSpan.FromMinutes(1));
                model.ResetCalled();
                _db.Time.Advance(TimeSpan.FromSeconds(31));
            }
        }

        await draining;

        Assert.True(model.Calls >= 2, "the model was asked, and asked again");
        Assert.Equal(2, (await store.GetRecentTurnsAsync("c1", 10, None)).Count);
        var facts = await store.GetFactsAsync("c1", includeSuperseded: true, None);
        Assert.Equal(["married to Catherine", "separated from Catherine"], facts.Select(f => f.Value));
        Assert.All(facts, f => Assert.Equal(KnowledgeSource.BuiltIn, f.Source));
        Assert.Equal(KnowledgeSource.BuiltIn, Assert.Single(await store.GetSummariesAsync("c1", None)).Source);
    }

    [Fact]
    public async Task A_valid_model_answer_is_used_and_items_that_point_nowhere_are_dropped()
    {
        await using var store = await OpenAsync("Lately I've been painting with my aunt Rosa on Sundays.");
        var json = """
            {"facts": [
              {"subject": "person", "attribute": "hobby", "value": "painting", "statement": "They paint on Sundays.", "about": null, "turn": 1},
              {"subject": "person", "attribute": "home", "value": "Mars", "statement": "They live on Mars.", "about": null, "turn": 99}
            ],
            "people": [{"name": "Rosa", "aliases": ["Auntie Ro"], "relation": "aunt", "turn": 1}]}
            """;
        var model = new MisbehavingChatClient("answers", json, """{"summary": "They talked about painting with Rosa.", "reflection": "I love how Rosa brings them joy."}""");
        await using var worker = new KnowledgeWorker(store, store, new ModelExtractor(model, new BuiltInExtractor(), _db.Time), _db.Time);

        await worker.DrainAsync("c1", null, None);

        var fact = Assert.Single(await store.GetFactsAsync("c1", false, None));
        Assert.Equal(("hobby", "They paint on Sundays.", KnowledgeSource.Model), (fact.Attribute, fact.Text, fact.Source));
        var rosa = Assert.Single(await store.GetPeopleAsync("c1", None));
        Assert.Equal(("Rosa", "aunt", "Auntie Ro"), (rosa.Name, rosa.Relation, Assert.Single(rosa.Aliases)));
        Assert.Equal([1L], rosa.TurnIds);
        Assert.Equal(KnowledgeSource.Model, Assert.Single(await store.GetSummariesAsync("c1", None)).Source);
        Assert.Equal("I love how Rosa brings them joy.", Assert.Single(await store.GetReflectionsAsync("c1", None)).Text);
        Assert.Equal("json-schema", model.Formats[0]);
    }

    [Fact]
    public async Task Work_left_by_a_process_that_died_is_found_again_from_the_stored_turns()
    {
        var store = await OpenAsync("I work at Acme.");
        await using (var first = new KnowledgeWorker(store, store, new BuiltInExtractor(), _db.Time))
        {
            await first.DrainAsync("c1", "s1", None);
        }

        await store.AppendTurnAsync(Samples.Turn("I moved to Porto.", at: Samples.WokeAt.AddDays(3), sessionId: "s2"), None);
        await store.DisposeAsync();

        await using var reopened = await _db.OpenAsync();
        await using var second = new KnowledgeWorker(reopened, reopened, new BuiltInExtractor(), _db.Time);
        Assert.Equal(1, await second.DrainAsync("c1", "s2", None));
        Assert.Contains(await reopened.GetFactsAsync("c1", false, None), f => f.Value == "Porto");
        Assert.Equal("s1", Assert.Single(await reopened.GetSummariesAsync("c1", None)).SessionId);
    }
}

/// <summary>A model that answers junk, throws, hangs until cancelled, or answers the scripted texts in turn.</summary>
internal sealed class MisbehavingChatClient(string behaviour, params string[] answers) : IChatClient
{
    private readonly Queue<string> _answers = new(answers);
    private TaskCompletionSource _called = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Calls { get; private set; }

    public List<string> Formats { get; } = [];

    public Task Called => _called.Task;

    public Task Cancelled => _cancelled.Task;

    public void ResetCalled() => _called = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls++;
        Formats.Add(options?.ResponseFormat is ChatResponseFormatJson { Schema: not null } ? "json-schema" : "none");
        _called.TrySetResult();
        switch (behaviour)
        {
            case "junk":
                return new ChatResponse(new ChatMessage(ChatRole.Assistant, "Once upon a time, a little fox found a {shiny} stone."));
            case "throws":
                throw new HttpRequestException("connection refused");
            case "hangs":
                var never = new TaskCompletionSource();
                using (cancellationToken.Register(() => { _cancelled.TrySetResult(); never.TrySetCanceled(cancellationToken); }))
                {
                    await never.Task;
                }

                throw new InvalidOperationException("unreachable");
            default:
                return new ChatResponse(new ChatMessage(ChatRole.Assistant, _answers.Dequeue()));
        }
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
